// Closures for arithmetic and comparison, chosen by operand types at plan time.

import type { AttributeType } from '../ast/index.js';
import { isNumericType } from '../runtime/values.js';

type Arith = (a: number, b: number) => number | null;

/**
 * Arithmetic for the result type: int wraps at 32 bits, float rounds to 32 bits,
 * integer division truncates; division and modulo by zero give null for every type, as the reference.
 */
export function arithmetic(op: '+' | '-' | '*' | '/' | '%', type: AttributeType): Arith {
  switch (type) {
    case 'int':
      switch (op) {
        case '+': return (a, b) => (a + b) | 0;
        case '-': return (a, b) => (a - b) | 0;
        case '*': return (a, b) => Math.imul(a, b);
        case '/': return (a, b) => (b === 0 ? null : (a / b) | 0);
        case '%': return (a, b) => (b === 0 ? null : (a % b) | 0);
      }
      break;
    case 'long':
      switch (op) {
        case '+': return (a, b) => a + b;
        case '-': return (a, b) => a - b;
        case '*': return (a, b) => a * b;
        case '/': return (a, b) => (b === 0 ? null : Math.trunc(a / b));
        case '%': return (a, b) => (b === 0 ? null : a % b);
      }
      break;
    case 'float':
      switch (op) {
        case '+': return (a, b) => Math.fround(a + b);
        case '-': return (a, b) => Math.fround(a - b);
        case '*': return (a, b) => Math.fround(a * b);
        case '/': return (a, b) => (b === 0 ? null : Math.fround(a / b));
        case '%': return (a, b) => (b === 0 ? null : Math.fround(a % b));
      }
      break;
    default:
      switch (op) {
        case '+': return (a, b) => a + b;
        case '-': return (a, b) => a - b;
        case '*': return (a, b) => a * b;
        case '/': return (a, b) => (b === 0 ? null : a / b);
        case '%': return (a, b) => (b === 0 ? null : a % b);
      }
  }
  throw new Error(`no arithmetic for ${type}`);
}

type Cmp = (a: unknown, b: unknown) => boolean;

/** A comparison for the operand types, or undefined when they cannot be compared. */
export function comparison(op: '==' | '!=' | '<' | '<=' | '>' | '>=', lt: AttributeType, rt: AttributeType): Cmp | undefined {
  const numeric = isNumericType(lt) && isNumericType(rt);
  const same = lt === rt;
  const object = lt === 'object' || rt === 'object';
  // The reference refuses ordering comparisons of strings and of bools ("string cannot used in greater than comparisons").
  const ordered = numeric || object;
  if (!numeric && !same && !object) return undefined;
  if ((op !== '==' && op !== '!=') && !ordered) return undefined;
  const isNull = (v: unknown) => v === null || v === undefined;
  switch (op) {
    case '==': return (a, b) => !isNull(a) && !isNull(b) && (a === b || equalObjects(a, b));
    case '!=': return (a, b) => isNull(a) || isNull(b) || !(a === b || equalObjects(a, b));
    case '<': return (a, b) => !isNull(a) && !isNull(b) && (a as number) < (b as number);
    case '<=': return (a, b) => !isNull(a) && !isNull(b) && (a as number) <= (b as number);
    case '>': return (a, b) => !isNull(a) && !isNull(b) && (a as number) > (b as number);
    case '>=': return (a, b) => !isNull(a) && !isNull(b) && (a as number) >= (b as number);
  }
}

function equalObjects(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    // Circular or otherwise unserialisable objects are only equal to themselves.
    return false;
  }
}
