// The aggregator registry, keyed by SiddhiQL name. The selector planner looks
// calls up here; everything else imports the kinds through this file.

import type { AggregatorKind } from './aggregator.js';
import { AND, DISTINCT_COUNT, OR, UNION_SET } from './collections.js';
import { GROUP_CONCAT } from './ext/group-concat.js';
import { JSON_GROUP, JSON_GROUP_AS_OBJECT } from './ext/json-group.js';
import { LIST_COLLECT, LIST_MERGE } from './ext/list-collect.js';
import { MAP_COLLECT, MAP_MERGE } from './ext/map-collect.js';
import { PERCENTILE } from './ext/percentile.js';
import { MAX, MAX_FOREVER, MIN, MIN_FOREVER } from './extremes.js';
import { AVG, COUNT, STD_DEV, SUM } from './numeric.js';

export const AGGREGATOR_KINDS: Readonly<Record<string, AggregatorKind>> = {
  sum: SUM,
  count: COUNT,
  avg: AVG,
  min: MIN,
  max: MAX,
  distinctCount: DISTINCT_COUNT,
  stdDev: STD_DEV,
  minForever: MIN_FOREVER,
  maxForever: MAX_FOREVER,
  and: AND,
  or: OR,
  unionSet: UNION_SET,
  'str:groupConcat': GROUP_CONCAT,
  'math:percentile': PERCENTILE,
  'json:group': JSON_GROUP,
  'json:groupAsObject': JSON_GROUP_AS_OBJECT,
  'map:collect': MAP_COLLECT,
  'map:merge': MAP_MERGE,
  'list:collect': LIST_COLLECT,
  'list:merge': LIST_MERGE,
};

export type { AggregatorKind } from './aggregator.js';
export { AggregatorUsageError } from './aggregator.js';
