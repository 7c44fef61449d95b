// The SiddhiQL AST: readonly tagged unions, no behaviour.

export type * from './app.js';
export type * from './definition.js';
export type * from './expression.js';
export type * from './query.js';
export type * from './location.js';
export { NO_LOCATION } from './location.js';
export { ATTRIBUTE_TYPES } from './definition.js';
export type * from './on-demand.js';
