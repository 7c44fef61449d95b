// Plan-time validation of window arguments, shared by every window kind's
// `create`: arity, constant-ness and types, with errors naming the signature.

import type { AttributeType } from '../../ast/index.js';
import { SiddhiPlanError } from '../../errors.js';
import type { WindowArg, WindowContext } from './window.js';

const INTEGRAL: readonly AttributeType[] = ['int', 'long'];

/** Reads the arguments of one window call; every failure throws a SiddhiPlanError. */
export class WindowArgs {
  constructor(
    readonly name: string,
    private readonly signature: string,
    readonly args: readonly WindowArg[],
    private readonly ctx: Pick<WindowContext, 'element' | 'loc'>,
    /** How messages name the element: 'window', 'stream processor'. */
    private readonly label = 'window',
  ) {}

  get length(): number {
    return this.args.length;
  }

  /** Throws unless the argument count is within [min, max]. */
  count(min: number, max: number): this {
    const n = this.args.length;
    if (n < min || n > max) {
      const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      this.fail(`${this.label} '${this.name}' takes ${want} argument${max === 1 ? '' : 's'} but got ${n}`, this.args[max]);
    }
    return this;
  }

  /** A constant int (or long) such as a length; `min` bounds it from below. */
  int(i: number, what: string, min = 0): number {
    const a = this.constant(i, what, INTEGRAL);
    const v = Number(a.value);
    if (!Number.isInteger(v) || v < min) this.fail(`${this.label} '${this.name}': ${what} must be an integer >= ${min}, got ${v}`, a);
    return v;
  }

  /** A constant duration in milliseconds: an int/long or a time literal. */
  time(i: number, what: string): number {
    return this.int(i, what, 0);
  }

  bool(i: number, what: string): boolean {
    return this.constant(i, what, ['bool']).value as boolean;
  }

  /** A constant number of any numeric type. */
  number(i: number, what: string): number {
    return Number(this.constant(i, what, ['int', 'long', 'float', 'double']).value);
  }

  string(i: number, what: string): string {
    return this.constant(i, what, ['string']).value as string;
  }

  /** A plain attribute reference of one of `types` (any type when omitted). */
  attribute(i: number, what: string, types?: readonly AttributeType[]): WindowArg {
    const a = this.args[i]!;
    if (a.constant || !a.attribute) this.fail(`${this.label} '${this.name}': ${what} must be an attribute, not an expression or constant`, a);
    if (types && !types.includes(a.type)) {
      this.fail(`${this.label} '${this.name}': ${what} must be of type ${types.join(' or ')}, but '${a.attribute!.name}' is ${a.type}`, a);
    }
    return a;
  }

  isConstant(i: number, types?: readonly AttributeType[]): boolean {
    const a = this.args[i];
    return a !== undefined && a.constant && (!types || types.includes(a.type));
  }

  isAttribute(i: number): boolean {
    const a = this.args[i];
    return a !== undefined && !a.constant && a.attribute !== undefined;
  }

  fail(message: string, at?: WindowArg): never {
    const loc = at?.loc ?? this.ctx.loc;
    throw new SiddhiPlanError(`${message}; expected ${this.signature}`, {
      line: loc?.line,
      column: loc?.column,
      hint: `expected ${this.signature}`,
      element: this.ctx.element,
    });
  }

  private constant(i: number, what: string, types: readonly AttributeType[]): WindowArg {
    const a = this.args[i]!;
    if (!a.constant) this.fail(`${this.label} '${this.name}': ${what} must be a constant`, a);
    if (!types.includes(a.type)) this.fail(`${this.label} '${this.name}': ${what} must be ${types.join(' or ')}, got ${a.type}`, a);
    return a;
  }
}
