// Operators declare their cells through the DeclareCell their factory gets
// (runtime/instance.ts); the planner chose the id and the registry. This
// keeps it so: an operator file that registers a cell itself, or takes a
// CellRegistry, fails here. A file implementing CellRegistry (a partition
// instance's registry) is the registry, not an operator; a builder
// (partition/build-partition.ts) registers what it builds under the ids and
// signatures its blueprint was planned with, as the planner did.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declareIn } from '../../../src/runtime/instance.js';
import type { CellRegistry, StateCell } from '../../../src/state/cell.js';

const ROOT = join(__dirname, '../../../src/runtime/operators');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** What an operator file does with a registry itself: `.register(` calls and `CellRegistry` parameters. */
function selfRegistrations(text: string): string[] {
  if (/\bimplements\s+CellRegistry\b/.test(text)) return [];
  return text.split('\n').flatMap((line, i) =>
    /\.register\(|\bCellRegistry\b/.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${i + 1}: ${line.trim()}`] : []);
}

describe('operators declare their cells, the plan registers them', () => {
  it('no file under src/runtime/operators registers a cell or takes a cell registry', () => {
    const files = sources(ROOT);
    expect(files.length).toBeGreaterThan(50);
    const operators = files.filter((f) => !/\/build-[^/]*\.ts$/.test(f));
    const found = operators.flatMap((f) => selfRegistrations(readFileSync(f, 'utf8')).map((l) => `${f.slice(ROOT.length + 1)}:${l}`));
    expect(found).toEqual([]);
  });

  it('the check finds a constructor that registers its own cell', () => {
    expect(selfRegistrations('constructor(ctx: C) {\n  ctx.cells.register(ctx.id, this.cell);\n}')).toHaveLength(1);
    expect(selfRegistrations("import type { CellRegistry } from '../../state/cell.js';")).toHaveLength(1);
    expect(selfRegistrations('class X implements CellRegistry {\n  register(id) { this.base.register(id); }\n}')).toEqual([]);
  });

  it('declareIn registers under the id the plan chose, parts as `id/part`', () => {
    const ids: string[] = [];
    const registry: CellRegistry = { register: (id) => ids.push(id), unregister() {} };
    const declare = declareIn(registry, 'A');
    const cell = {} as StateCell;
    declare(cell);
    declare(cell, 'sec');
    expect(ids).toEqual(['A', 'A/sec']);
  });
});
