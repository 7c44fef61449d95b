// The SiddhiQL parser: text → App AST (see src/ast). Used by src/index.ts and the planner's tests.

export { parseApp, parseExpression, parseOnDemandQuery, getSerializedGrammar, getGrammarProductions } from './parse-app.js';
