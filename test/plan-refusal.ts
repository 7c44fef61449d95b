// Test helper: the SiddhiPlanError that `plan` throws (an app refused at
// planning); fails the test when it throws anything else or accepts the app.

import { expect } from 'vitest';
import { SiddhiPlanError } from '../src/errors.js';

export function planRefusal(plan: () => unknown): SiddhiPlanError {
  try {
    plan();
  } catch (e) {
    expect(e).toBeInstanceOf(SiddhiPlanError);
    return e as SiddhiPlanError;
  }
  throw new Error('the app was accepted');
}
