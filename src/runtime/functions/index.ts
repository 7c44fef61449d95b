// The function registry: SiddhiQL function names → kinds. The planner looks
// names up here once; unknown names are reported with this list.

import { coalesce, defaultFn, ifThenElse } from './conditional-functions.js';
import { EXTENSION_FUNCTIONS } from './ext/index.js';
import type { FunctionKind } from './function-kind.js';
import { createSet, currentTimeMillis, eventTimestamp, maximum, minimum, sizeOfSet, uuid } from './other-functions.js';
import { cast, convert, instanceOfFunctions } from './type-functions.js';

export type { FunctionContext, FunctionKind, PlannedFunction } from './function-kind.js';
export { FunctionUsageError } from './function-kind.js';

export const FUNCTION_KINDS: Readonly<Record<string, FunctionKind>> = Object.fromEntries(
  [
    ifThenElse, coalesce, defaultFn, cast, convert, ...instanceOfFunctions,
    maximum, minimum, createSet, sizeOfSet, uuid, currentTimeMillis, eventTimestamp,
    ...EXTENSION_FUNCTIONS,
  ].map((k) => [k.name, k]),
);
