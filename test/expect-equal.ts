// Test helper: expect(actual).toEqual(expected) for large values. Vitest's
// equality walks every element through its generic object comparison (a
// 200,000-element Float64Array took ~0.5 s); node's isDeepStrictEqual compares
// typed arrays as bytes and is stricter than toEqual, so when it holds toEqual
// would too, and when it does not, toEqual decides and prints its diff.

import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';

export function expectEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, message).toEqual(expected);
}
