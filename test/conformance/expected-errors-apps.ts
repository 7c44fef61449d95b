// Expected errors of the compile-error cases added while running real apps
// (annotation checks and friends); merged into EXPECTED_ERRORS.

import type { ExpectedError } from './expected-errors.js';

export const APPS_EXPECTED_ERRORS: Readonly<Record<string, ExpectedError>> = {
  'x-annotation-error-01': { contains: 'annotation @app:async: @async is not supported at the app level', line: 1, column: 1 },
  'x-annotation-error-02': { contains: "@async of stream 'cseEventStream': workers cannot be negative or zero, but found '0'", line: 1, column: 26 },
  'x-annotation-error-03': { contains: "annotation @app:playback: invalid increment '2'", line: 1, column: 46 },
  'x-annotation-error-04': { contains: 'annotation @app:playback: requires both idle.time and increment, but increment is not given', line: 1, column: 1 },
  'x-define-repeated-error-01': { contains: "stream 'StockStream': 'StockStream' is already defined as a stream with other attributes or annotations", line: 2, column: 1 },
  'x-define-repeated-error-02': { contains: "table 'StockStream': 'StockStream' is already defined as a stream", line: 2, column: 1 },
  'x-join-alias-error-01': { contains: "unknown stream reference 'twitterStream' in 'twitterStream.tweet'", line: 4, column: 18 },
  'x-table-index-error-01': { contains: "table 'StockTable': @Index takes exactly one attribute, but found 2", line: 2, column: 1 },
  'x-table-index-error-02': { contains: "table 'StockTable': attribute 'symbol' has more than one @Index", line: 2, column: 18 },
  'x-window-named-error-01': { contains: "query 'query1': 'StockWindow' is a named window; it takes no further window", line: 4, column: 40 },
};
