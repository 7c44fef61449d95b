// The stream-function registry: names usable as `from S#name(…)` → kinds.
// The planner looks names up here; unknown names are reported with this list.

import { LIST_TOKENIZE, MAP_TOKENIZE } from './collection-tokenize.js';
import { JSON_TOKENIZE, JSON_TOKENIZE_AS_OBJECT } from './json-tokenize.js';
import { LOG_STREAM_PROCESSOR } from './log-stream-processor.js';
import { POL2CART } from './pol2cart.js';
import { REORDER_AKSLACK } from './reorder-akslack.js';
import { REORDER_KSLACK } from './reorder-kslack.js';
import type { StreamFunctionKind } from './stream-function.js';
import { STR_TOKENIZE } from './str-tokenize.js';
import { UNIQUE_DEDUPLICATE } from './unique-deduplicate.js';

export const STREAM_FUNCTION_KINDS: Readonly<Record<string, StreamFunctionKind>> = Object.fromEntries(
  [POL2CART, LOG_STREAM_PROCESSOR, STR_TOKENIZE, JSON_TOKENIZE, JSON_TOKENIZE_AS_OBJECT, UNIQUE_DEDUPLICATE, REORDER_KSLACK, REORDER_AKSLACK, MAP_TOKENIZE, LIST_TOKENIZE].map((k) => [k.name, k]),
);

export const STREAM_FUNCTION_NAMES: readonly string[] = Object.keys(STREAM_FUNCTION_KINDS);
