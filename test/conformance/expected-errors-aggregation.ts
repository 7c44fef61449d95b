// Expected compile errors of the aggregation cases (x-aggregation-error-*),
// spread into EXPECTED_ERRORS by expected-errors.ts.

import type { ExpectedError } from './expected-errors.js';

export const AGGREGATION_EXPECTED_ERRORS: Readonly<Record<string, ExpectedError>> = {
  'x-aggregation-error-01': { contains: "stream 'stockStream' is not defined", line: 1, column: 65 },
  'x-aggregation-error-02': { contains: "'week' is not an aggregation duration", line: 2, column: 134 },
  'x-aggregation-error-04': { contains: "'hour' cannot be purged since the aggregation does not aggregate per hour", line: 2, column: 103 },
  'x-aggregation-error-05': { contains: "@PartitionById needs a 'shardId' configuration", line: 2, column: 1 },
  'x-aggregation-error-03': { contains: "stream 'stockAggregation' is not defined", line: 2, column: 51 },
  'x-aggregation-error-06': { contains: "query 'query1': 'stockAggregation' is already defined as an aggregation; a query cannot insert into it", line: 3, column: 73 },
};
