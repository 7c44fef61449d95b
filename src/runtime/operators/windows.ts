// The window registry: SiddhiQL window names → kinds. The planner looks names
// up here once and lists the keys when a name is unknown.

import { BATCH_WINDOW } from './batch-window.js';
import { CRON_WINDOW } from './cron-window.js';
import { DELAY_WINDOW } from './delay-window.js';
import { EXTERNAL_TIME_BATCH_WINDOW } from './external-time-batch-window.js';
import { EXTERNAL_TIME_WINDOW } from './external-time-window.js';
import { EXPRESSION_BATCH_WINDOW } from './expression-batch-window.js';
import { EXPRESSION_WINDOW } from './expression-window.js';
import { FREQUENT_WINDOW } from './frequent-window.js';
import { LENGTH_BATCH_WINDOW } from './length-batch-window.js';
import { LENGTH_WINDOW } from './length-window.js';
import { LOSSY_FREQUENT_WINDOW } from './lossy-frequent-window.js';
import { SESSION_WINDOW } from './session-window.js';
import { SORT_WINDOW } from './sort-window.js';
import { TIME_BATCH_WINDOW } from './time-batch-window.js';
import { TIME_LENGTH_WINDOW } from './time-length-window.js';
import { TIME_WINDOW } from './time-window.js';
import {
  UNIQUE_FIRST_LENGTH_BATCH_WINDOW, UNIQUE_FIRST_TIME_BATCH_WINDOW, UNIQUE_LENGTH_BATCH_WINDOW, UNIQUE_TIME_BATCH_WINDOW,
  UNIQUE_TIME_LENGTH_BATCH_WINDOW,
} from './unique-batch-window.js';
import { UNIQUE_EXTERNAL_TIME_BATCH_WINDOW } from './unique-external-time-batch-window.js';
import { UNIQUE_EVER_WINDOW } from './unique-ever-window.js';
import { UNIQUE_FIRST_WINDOW } from './unique-first-window.js';
import { UNIQUE_LENGTH_WINDOW } from './unique-length-window.js';
import { UNIQUE_TIME_WINDOW } from './unique-time-window.js';
import type { WindowKind } from './window.js';

export const WINDOW_KINDS: Record<string, WindowKind> = {
  length: LENGTH_WINDOW,
  time: TIME_WINDOW,
  timeLength: TIME_LENGTH_WINDOW,
  externalTime: EXTERNAL_TIME_WINDOW,
  sort: SORT_WINDOW,
  delay: DELAY_WINDOW,
  frequent: FREQUENT_WINDOW,
  lossyFrequent: LOSSY_FREQUENT_WINDOW,
  lengthBatch: LENGTH_BATCH_WINDOW,
  timeBatch: TIME_BATCH_WINDOW,
  externalTimeBatch: EXTERNAL_TIME_BATCH_WINDOW,
  batch: BATCH_WINDOW,
  session: SESSION_WINDOW,
  expression: EXPRESSION_WINDOW,
  expressionBatch: EXPRESSION_BATCH_WINDOW,
  'unique:ever': UNIQUE_EVER_WINDOW,
  'unique:first': UNIQUE_FIRST_WINDOW,
  'unique:length': UNIQUE_LENGTH_WINDOW,
  'unique:time': UNIQUE_TIME_WINDOW,
  'unique:lengthBatch': UNIQUE_LENGTH_BATCH_WINDOW,
  'unique:firstLengthBatch': UNIQUE_FIRST_LENGTH_BATCH_WINDOW,
  'unique:timeBatch': UNIQUE_TIME_BATCH_WINDOW,
  'unique:firstTimeBatch': UNIQUE_FIRST_TIME_BATCH_WINDOW,
  'unique:timeLengthBatch': UNIQUE_TIME_LENGTH_BATCH_WINDOW,
  'unique:externalTimeBatch': UNIQUE_EXTERNAL_TIME_BATCH_WINDOW,
  cron: CRON_WINDOW,
};
