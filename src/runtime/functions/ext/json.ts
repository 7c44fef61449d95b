// The `json:` namespace (siddhi-execution-json): read values by JSON path,
// test for them, set elements, convert between JSON text and objects. Input
// JSON is a string (read leniently, as json-smart does) or an object.

import type { AttributeType } from '../../../ast/index.js';
import type { CompiledExpression } from '../../expression.js';
import type { FunctionKind } from '../function-kind.js';
import { FunctionUsageError } from '../function-kind.js';
import { BOOL, OBJECT, PRIMITIVE, STRING, constantOf, defineFunction, failFunction } from './define-function.js';
import { compileJsonPath, type JsonPath, readJsonPath } from './json-path.js';
import { cloneJson, isDoubleAt, markDouble, toJsonString } from './gson-text.js';
import { parseLenientJson } from './lenient-json.js';
import { putMember } from './member-order.js';
import { formatDouble } from '../../values.js';

const JSON_INPUT: readonly AttributeType[] = ['string', 'object'];

/** The document of a json argument: parsed text, or the object itself. */
export function documentOf(name: string, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return parseLenientJson(v);
  } catch (e) {
    return failFunction(name, `The input JSON is not a valid JSON. Input JSON - ${v} (${(e as Error).message})`);
  }
}

/** The path argument: compiled once when constant (errors at plan time). */
function pathOf(name: string, arg: CompiledExpression | undefined): (p: string) => JsonPath {
  const compile = (p: string, planning: boolean): JsonPath => {
    try {
      return compileJsonPath(p);
    } catch (e) {
      const message = `invalid JSON path '${p}': ${(e as Error).message}`;
      if (planning) throw new FunctionUsageError(`${name}(): ${message}`);
      return failFunction(name, message);
    }
  };
  const c = constantOf(arg);
  if (typeof c === 'string') {
    const path = compile(c, true);
    return () => path;
  }
  return (p) => compile(p, false);
}

/** One match: a definite path's value, or the only element of a one-element result list. */
function single(doc: unknown, path: JsonPath): unknown {
  return singleMatch(doc, path).value;
}

/** single(), and whether the value is a number the document wrote as a decimal (a Java Double, written 25.0). */
function singleMatch(doc: unknown, path: JsonPath): Match {
  const r = readJsonPath(doc, path);
  if (!r.found) return { value: null, double: false };
  if (path.definite) return { value: r.value, double: r.double === true };
  const list = r.value as unknown[];
  return list.length === 1 ? { value: list[0], double: isDoubleAt(list, 0) } : { value: null, double: false };
}

interface Match {
  readonly value: unknown;
  readonly double: boolean;
}

/**
 * What an indefinite path's match list gives, as each reference function reads
 * JsonPath's result: getString renders the whole list as JSON, getObject
 * unwraps a one-element list (else keeps the list), the typed getters need
 * exactly one match.
 */
type Matches = 'one' | 'list' | 'unwrap';

function pick(doc: unknown, path: JsonPath, matches: Matches): Match {
  if (path.definite || matches === 'one') return singleMatch(doc, path);
  const r = readJsonPath(doc, path);
  if (!r.found) return { value: null, double: false };
  const list = r.value as unknown[];
  return matches === 'unwrap' && list.length === 1 ? { value: list[0], double: isDoubleAt(list, 0) } : { value: list, double: false };
}

function getter(name: string, type: AttributeType, convert: (v: unknown, double: boolean) => unknown, matches: Matches = 'one'): FunctionKind {
  return defineFunction({
    name,
    params: [['json', JSON_INPUT], ['path', STRING]],
    returns: type,
    make: (args) => {
      const path = pathOf(name, args[1]);
      return ([json, p]) => {
        const m = pick(documentOf(name, json), path(p as string), matches);
        return m.value === null || m.value === undefined ? null : convert(m.value, m.double);
      };
    },
  });
}

const integral = (min: number, max: number) => (v: unknown): unknown => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
};

const decimal = (v: unknown): unknown => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return null;
};

export const JSON_FUNCTIONS: readonly FunctionKind[] = [
  // As the reference: a match that is not a string is written by Gson (a parsed 25.0 as "25.0").
  getter('json:getString', 'string', (v, double) => (typeof v === 'string' ? v : double && typeof v === 'number' ? formatDouble(v) : toJsonString(v)), 'list'),
  getter('json:getInt', 'int', integral(-2147483648, 2147483647)),
  getter('json:getLong', 'long', integral(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
  getter('json:getDouble', 'double', decimal),
  getter('json:getFloat', 'float', (v) => {
    const d = decimal(v);
    return d === null ? null : Math.fround(d as number);
  }),
  // 'true'/'false' (any case) only; anything else is not a boolean: null.
  getter('json:getBool', 'bool', (v) => (typeof v === 'boolean' ? v : /^(true|false)$/i.test(String(v)) ? String(v).toLowerCase() === 'true' : null)),
  getter('json:getObject', 'object', (v) => v, 'unwrap'),
  defineFunction({
    name: 'json:isExists',
    params: [['json', JSON_INPUT], ['path', STRING]],
    returns: 'bool',
    make: (args) => {
      const path = pathOf('json:isExists', args[1]);
      return ([json, p]) => {
        const compiled = path(p as string);
        const r = readJsonPath(documentOf('json:isExists', json), compiled);
        return r.found && (compiled.definite || (r.value as unknown[]).length > 0);
      };
    },
  }),
  defineFunction({
    name: 'json:setElement',
    params: [['json', JSON_INPUT], ['path', STRING], ['json.element', [...PRIMITIVE, ...OBJECT]], ['key', STRING]],
    optional: 1,
    returns: 'object',
    nulls: 'pass',
    make: (args) => {
      const path = pathOf('json:setElement', args[1]);
      const element = { double: args[2]!.type === 'double' };
      return (vs) => {
        if (vs[0] === null || vs[1] === null) return null;
        const doc = cloneJson(documentOf('json:setElement', vs[0]));
        return setElement(doc, path(vs[1] as string), { value: elementOf(vs[2]), ...element }, vs.length > 3 ? (vs[3] as string | null) : null);
      };
    },
  }),
  defineFunction({
    name: 'json:toObject',
    params: [['json', STRING]],
    returns: 'object',
    // As the reference: json-smart's JSONParser, whose objects are HashMaps (members in HashMap order).
    compute: ([json]) => {
      try {
        return parseLenientJson(json as string, { order: 'hash' });
      } catch (e) {
        return failFunction('json:toObject', `The input JSON is not a valid JSON. Input JSON - ${json as string} (${(e as Error).message})`);
      }
    },
  }),
  defineFunction({
    name: 'json:toString',
    params: [['json', JSON_INPUT], ['allow.escape', BOOL]],
    optional: 1,
    returns: 'string',
    compute: ([json, escape]) => {
      // As the reference: Gson writes the value, a string argument too (as a JSON string literal).
      const text = toJsonString(json);
      return escape === true ? toJsonString(text) : text;
    },
  }),
];

/** A string that holds a JSON object or array is set as that structure, as the reference parses it (Gson: every number a Double). */
function elementOf(v: unknown): unknown {
  if (typeof v === 'string' && /^\s*[{[]/.test(v)) {
    try {
      return parseLenientJson(v, { allDoubles: true });
    } catch {
      return v;
    }
  }
  return v;
}

/** The element json:setElement adds, and whether it is a Java Double (a double argument: written 25.0). */
interface Element {
  readonly value: unknown;
  readonly double: boolean;
}

function setElement(doc: unknown, path: JsonPath, element: Element, key: string | null): unknown {
  const put = (container: object, k: string | number): void => {
    if (typeof k === 'string') putMember(container as Record<string, unknown>, k, element.value);
    else (container as unknown[])[k] = element.value;
    if (element.double) markDouble(container, k);
  };
  const target = single(doc, path);
  const found = path.definite ? readJsonPath(doc, path).found : target !== null;
  if (!found) return doc;
  if (key !== null) {
    if (typeof target === 'object' && target !== null && !Array.isArray(target)) put(target, key);
    return doc;
  }
  if (Array.isArray(target)) {
    put(target, target.length);
    return doc;
  }
  const steps = path.steps;
  if (steps.length === 0) return element.value;
  const parent = single(doc, { steps: steps.slice(0, -1), definite: path.definite });
  const last = steps[steps.length - 1]!;
  if (last.kind === 'key' && typeof parent === 'object' && parent !== null) put(parent, last.key);
  else if (last.kind === 'index' && Array.isArray(parent)) put(parent, last.at < 0 ? parent.length + last.at : last.at);
  return doc;
}
