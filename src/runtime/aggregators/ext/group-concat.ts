// `str:groupConcat(key [, separator [, distinct [, order]]])`: the keys of the
// window joined by a separator (default ','). Keys are counted in a map kept in
// first-arrival order, or sorted with 'ASC' / 'DESC'; empty gives "".

import type { CompiledExpression } from '../../expression.js';
import { type AggregatorKind, AggregatorUsageError, expectArgs, isNull } from '../aggregator.js';

type Counts = Map<string, number>;

interface Options {
  readonly separator: string;
  readonly distinct: boolean;
  readonly order: 'ASC' | 'DESC' | undefined;
}

const SIGNATURE = 'str:groupConcat(key string [, separator string [, distinct bool [, order string]]]) -> string';

function groupConcat(o: Options): AggregatorKind<Counts> {
  return {
    name: 'str:groupConcat',
    signature: SIGNATURE,
    resultType: checkTypes,
    configure: configureGroupConcat,
    init: () => new Map(),
    add(m, v) {
      if (!isNull(v)) {
        const k = String(v);
        m.set(k, (m.get(k) ?? 0) + 1);
      }
      return m;
    },
    remove(m, v) {
      if (!isNull(v)) {
        const k = String(v);
        const c = m.get(k) ?? 0;
        if (c <= 1) m.delete(k);
        else m.set(k, c - 1);
      }
      return m;
    },
    value(m) {
      let keys = [...m.keys()];
      if (o.order) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0) * (o.order === 'DESC' ? -1 : 1));
      if (!o.distinct) keys = keys.flatMap((k) => new Array<string>(m.get(k)!).fill(k));
      return keys.join(o.separator);
    },
    save: (m) => [...m],
    load: (raw) => new Map(raw as [string, number][]),
  };
}

function checkTypes(this: AggregatorKind, types: readonly import('../../../ast/index.js').AttributeType[]): 'string' {
  expectArgs(this, types, 1, 4);
  const want = ['string', 'string', 'bool', 'string'];
  types.forEach((t, i) => {
    if (t !== want[i]) throw new AggregatorUsageError(`str:groupConcat() argument ${i + 1} must be ${want[i]}, got ${t}; usage: ${SIGNATURE}`);
  });
  return 'string';
}

function configureGroupConcat(args: readonly CompiledExpression[]): AggregatorKind<Counts> {
  const constant = (i: number): unknown => {
    const a = args[i];
    if (a === undefined) return undefined;
    if (!a.constant) throw new AggregatorUsageError(`str:groupConcat() argument ${i + 1} must be a constant; usage: ${SIGNATURE}`);
    return a.constant.value;
  };
  const order = constant(3) === undefined ? undefined : String(constant(3)).toUpperCase();
  if (order !== undefined && order !== 'ASC' && order !== 'DESC') {
    throw new AggregatorUsageError(`str:groupConcat() order must be 'ASC' or 'DESC', got '${order}'`);
  }
  return groupConcat({ separator: (constant(1) as string | undefined) ?? ',', distinct: constant(2) === true, order });
}

export const GROUP_CONCAT: AggregatorKind<Counts> = groupConcat({ separator: ',', distinct: false, order: undefined });
