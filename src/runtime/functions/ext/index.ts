// The extension namespaces' functions (str:, math:, …), merged into the
// function registry by ../index.ts under their namespaced names.

import type { FunctionKind } from '../function-kind.js';
import { MATH_FUNCTIONS } from './math.js';
import { STR_FUNCTIONS } from './str.js';

export const EXTENSION_FUNCTIONS: readonly FunctionKind[] = [...STR_FUNCTIONS, ...MATH_FUNCTIONS];
