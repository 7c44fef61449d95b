// The extension namespaces' functions (str:, math:, …), merged into the
// function registry by ../index.ts under their namespaced names.

import type { FunctionKind } from '../function-kind.js';
import { JSON_FUNCTIONS } from './json.js';
import { LIST_FUNCTIONS } from './list.js';
import { MAP_FUNCTIONS } from './map.js';
import { MATH_FUNCTIONS } from './math.js';
import { REGEX_FUNCTIONS } from './regex.js';
import { STR_FUNCTIONS } from './str.js';
import { TIME_FUNCTIONS } from './time.js';

export const EXTENSION_FUNCTIONS: readonly FunctionKind[] = [...STR_FUNCTIONS, ...MATH_FUNCTIONS, ...REGEX_FUNCTIONS, ...JSON_FUNCTIONS, ...TIME_FUNCTIONS, ...MAP_FUNCTIONS, ...LIST_FUNCTIONS];
