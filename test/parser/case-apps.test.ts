// Every conformance case app must parse (except the few that are genuine syntax errors).

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SiddhiParseError } from '../../src/errors.js';
import { parseApp } from '../../src/parser/index.js';

const casesDir = fileURLToPath(new URL('../conformance/cases/', import.meta.url));
const cases = readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(casesDir + f, 'utf8')) as { id: string; app: string; expectError?: string });

/** Cases whose app is a genuine syntax error (the rest of the compile errors are semantic). */
const SYNTAX_ERROR_CASES = new Set(['pattern-error-02', 'join-error-04', 'table-error-03']);

describe('conformance case apps', () => {
  it('finds the cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(232);
  });

  it('parses every app that is not a syntax error', () => {
    const failures: string[] = [];
    for (const c of cases) {
      if (SYNTAX_ERROR_CASES.has(c.id)) continue;
      try {
        parseApp(c.app);
      } catch (error) {
        failures.push(`${c.id}:\n${(error as Error).message}`);
      }
    }
    expect(failures.join('\n\n')).toBe('');
  });

  it('rejects the syntax-error cases with a SiddhiParseError', () => {
    for (const c of cases.filter((x) => SYNTAX_ERROR_CASES.has(x.id))) {
      expect(c.expectError).toBe('compile');
      expect(() => parseApp(c.app)).toThrow(SiddhiParseError);
    }
  });
});
