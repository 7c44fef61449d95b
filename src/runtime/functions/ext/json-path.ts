// A JSON path reader in the manner of Jayway JsonPath, as the json: extension
// uses it: `$`, `.name`, `['name']`, `[0]`, `[-1]`, `[0,2]`, `[1:3]`, `[*]`, `.*`,
// deep scan `..name` and filters `[?(@.price > 10)]` (json-path-filter.ts). A
// definite path yields the value (or nothing); a path with a wildcard, deep
// scan, union, slice or filter yields the list of matches.

import { type FilterExpr, filterEnd, parseFilter, testFilter } from './json-path-filter.js';
import { assertNever } from '../../../dispatch.js';
import { isDoubleAt, markDouble } from './gson-text.js';
import { memberKeys } from './member-order.js';

type Step =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly at: number }
  | { readonly kind: 'union'; readonly keys: readonly (string | number)[] }
  | { readonly kind: 'slice'; readonly from: number | undefined; readonly to: number | undefined }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'deep'; readonly key: string | undefined }
  | { readonly kind: 'scanAll' }
  | { readonly kind: 'filter'; readonly expr: FilterExpr };

export interface JsonPath {
  readonly steps: readonly Step[];
  readonly definite: boolean;
}

const cache = new Map<string, JsonPath>();

/** Parses a path; throws SyntaxError when it is not one this reader supports. */
export function compileJsonPath(path: string): JsonPath {
  const hit = cache.get(path);
  if (hit) return hit;
  // Jayway reads a path that does not start at the root ('name', 'order.id') as one that does ('$.name').
  const p = path.trim().startsWith('$') ? path.trim() : `$.${path.trim()}`;
  const steps: Step[] = [];
  let i = 1;
  const name = (): string => {
    const m = /^[^.[\]\s]+/.exec(p.slice(i));
    if (!m) throw new SyntaxError(`expected a name at ${i} in '${path}'`);
    i += m[0].length;
    return m[0];
  };
  while (i < p.length) {
    if (p.startsWith('..', i)) {
      i += 2;
      if (p[i] === '*') {
        i++;
        steps.push({ kind: 'scanAll' });
      } else if (p[i] === '[') steps.push({ kind: 'deep', key: undefined });
      else steps.push({ kind: 'deep', key: name() });
    } else if (p[i] === '.') {
      i++;
      // '$.[0]' is '$[0]' in Jayway, which is how a relative '[0]' or "['name']" reads ('$.' + path).
      if (p[i] === '[') continue;
      if (p[i] === '*') {
        i++;
        steps.push({ kind: 'wildcard' });
      } else steps.push({ kind: 'key', key: name() });
    } else if (p.startsWith('[?(', i)) {
      const end = filterEnd(p, i);
      steps.push({ kind: 'filter', expr: parseFilter(p.slice(i + 3, end - 2), compileJsonPath) });
      i = end;
    } else if (p[i] === '[') {
      const end = p.indexOf(']', i);
      if (end < 0) throw new SyntaxError(`unclosed '[' in '${path}'`);
      const body = p.slice(i + 1, end).trim();
      i = end + 1;
      if (body === '*') steps.push({ kind: 'wildcard' });
      else if (body.startsWith('?')) throw new SyntaxError(`a filter is written '[?(…)]', got '[${body}]'`);
      else if (/^-?\d*:-?\d*$/.test(body)) {
        const [a, b] = body.split(':');
        steps.push({ kind: 'slice', from: a === '' ? undefined : Number(a), to: b === '' ? undefined : Number(b) });
      } else {
        const parts = body.split(',').map((x) => x.trim()).map((x) => (/^-?\d+$/.test(x) ? Number(x) : x.replace(/^['"]|['"]$/g, '')));
        if (parts.length === 1) steps.push(typeof parts[0] === 'number' ? { kind: 'index', at: parts[0] } : { kind: 'key', key: parts[0]! });
        else steps.push({ kind: 'union', keys: parts });
      }
    } else throw new SyntaxError(`unexpected '${p[i]}' at ${i} in '${path}'`);
  }
  const compiled = { steps, definite: steps.every((s) => s.kind === 'key' || s.kind === 'index') };
  if (cache.size > 1000) cache.clear();
  cache.set(path, compiled);
  return compiled;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Appends container[key] to `out`, keeping whether it is a Java Double (gson-text.ts). */
function take(out: unknown[], container: object, key: string | number): void {
  out.push((container as Record<string | number, unknown>)[key]);
  if (isDoubleAt(container, key)) markDouble(out, out.length - 1);
}

function takeAll(out: unknown[], from: unknown[]): void {
  for (let i = 0; i < from.length; i++) take(out, from, i);
}

function children(v: unknown): unknown[] {
  const out: unknown[] = [];
  if (Array.isArray(v)) takeAll(out, v);
  else if (isObject(v)) for (const k of memberKeys(v)) take(out, v, k);
  return out;
}

/**
 * `..*` as Jayway's ScanPathToken walks it: each container (pre-order from the start node) gives all its
 * children, then each child is walked in turn; taken from their containers, so Double marks are kept.
 */
function scanAll(v: unknown, out: unknown[]): void {
  const kids = children(v);
  takeAll(out, kids);
  for (const k of kids) scanAll(k, out);
}

function descendants(v: unknown, out: unknown[]): void {
  const all = children(v);
  for (let i = 0; i < all.length; i++) {
    take(out, all, i);
    descendants(all[i], out);
  }
}

function apply(step: Step, nodes: unknown[], root: unknown): unknown[] {
  const out: unknown[] = [];
  for (const n of nodes) {
    switch (step.kind) {
      case 'key':
        if (isObject(n) && Object.hasOwn(n, step.key)) take(out, n, step.key);
        break;
      case 'index':
        if (Array.isArray(n)) {
          const at = step.at < 0 ? n.length + step.at : step.at;
          if (at >= 0 && at < n.length) take(out, n, at);
        }
        break;
      case 'union':
        for (const k of step.keys) takeAll(out, apply(typeof k === 'number' ? { kind: 'index', at: k } : { kind: 'key', key: k }, [n], root));
        break;
      case 'slice':
        if (Array.isArray(n)) for (const i of [...n.keys()].slice(step.from ?? 0, step.to ?? n.length)) take(out, n, i);
        break;
      case 'wildcard':
        takeAll(out, children(n));
        break;
      case 'deep': {
        const all: unknown[] = [n];
        descendants(n, all);
        if (step.key === undefined) takeAll(out, all.slice(1));
        else for (const d of all) if (isObject(d) && Object.hasOwn(d, step.key)) take(out, d, step.key);
        break;
      }
      case 'scanAll':
        scanAll(n, out);
        break;
      case 'filter':
        // As Jayway: an array's elements are tested, an object is tested itself.
        if (Array.isArray(n)) {
          for (const el of n) if (testFilter(step.expr, el, root, readJsonPath)) out.push(el);
        } else if (isObject(n) && testFilter(step.expr, n, root, readJsonPath)) out.push(n);
        break;
      default:
        return assertNever(step, 'path step');
    }
  }
  return out;
}

/**
 * The value at a definite path (`found` false when absent), or the list of matches of an indefinite one;
 * `double`: the definite value is a number the document wrote as a decimal (a Java Double).
 */
export function readJsonPath(doc: unknown, path: JsonPath): { found: boolean; value: unknown; double?: boolean } {
  let nodes = [doc];
  let upstreamDefinite = true;
  for (const s of path.steps) {
    // As Jayway's PropertyPathToken: after a definite prefix, a property of what is not an object is
    // PathNotFound for the whole path, an indefinite one too ('$.b[*]' of [1,2]: null, not []).
    if (s.kind === 'key' && upstreamDefinite && nodes.length === 1 && !isObject(nodes[0])) return { found: false, value: null };
    nodes = apply(s, nodes, doc);
    upstreamDefinite &&= s.kind === 'key' || s.kind === 'index';
  }
  if (path.definite) return nodes.length === 0 ? { found: false, value: null } : { found: true, value: nodes[0], double: isDoubleAt(nodes, 0) };
  return { found: true, value: nodes };
}
