// The one CST→AST visitor. It implements a method per grammar rule (checked at
// compile time against the generated cst.ts) and collects problems the grammar
// cannot express (e.g. mixing `->` and `,`) instead of throwing at the first.

import type { CstNode, IToken } from 'chevrotain';
import type { App, AppElement, Partition, PartitionKey } from '../ast/app.js';
import type {
  AggregationDefinition,
  FunctionDefinition,
  AggregationDuration,
  Annotation,
  AnnotationElement,
  Attribute,
  AttributeType,
  Definition,
  OutputEventType,
  StreamDefinition,
  TableDefinition,
  TriggerDefinition,
  WindowCall,
  WindowDefinition,
} from '../ast/definition.js';
import type { EventIndex, Expression, FunctionCall, Variable } from '../ast/expression.js';
import type { Location } from '../ast/location.js';
import type { OnDemandQuery } from '../ast/on-demand.js';
import type {
  AbsentStateElement,
  CountStateElement,
  DeleteFrom,
  InsertInto,
  JoinInput,
  JoinType,
  OrderByAttribute,
  OutputAction,
  OutputAttribute,
  OutputRate,
  Query,
  QueryInput,
  ReturnOutput,
  Selector,
  SetAssignment,
  SingleInput,
  StateElement,
  StateInput,
  StreamHandler,
  StreamStateElement,
  UpdateOrInsert,
  UpdateTable,
  WithinPer,
} from '../ast/query.js';
import type { ParseProblem } from '../errors.js';
import type * as C from './cst.js';
import { INT_MAX, nameValue, numberValue, stringValue, unitMillis } from './literals.js';
import { expressionDepth, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_ITEMS } from './limits.js';
import { applyPrecedence, tokenLocation, type ExpressionItem } from './precedence.js';
import type { QuickElement } from './quick-element.js';

export function locationOf(node: CstNode): Location {
  const l = node.location!;
  return { line: l.startLine!, column: l.startColumn!, offset: l.startOffset };
}

const ATTRIBUTE_TYPE_TOKENS: readonly [keyof C.AttributeTypeCstChildren, AttributeType][] = [
  ['StringType', 'string'],
  ['IntType', 'int'],
  ['LongType', 'long'],
  ['FloatType', 'float'],
  ['DoubleType', 'double'],
  ['BoolType', 'bool'],
  ['ObjectType', 'object'],
];

const AGGREGATION_ORDER: readonly AggregationDuration[] = ['sec', 'min', 'hour', 'day', 'month', 'year'];
const AGGREGATION_UNITS: Readonly<Record<string, AggregationDuration>> = {
  Seconds: 'sec', Minutes: 'min', Hours: 'hour', Days: 'day', Months: 'month', Years: 'year',
};

/** A state term's element, and whether its `within` may move to the enclosing chain. */
interface StateTermResult {
  readonly element: StateElement;
  readonly trailingWithin?: number;
}

type Visitor = Omit<C.ICstNodeVisitor<Location, unknown>, 'visit' | 'validateVisitor'>;

export class AstBuilder implements Visitor {
  readonly problems: ParseProblem[] = [];
  private appAnnotations: Annotation[] = [];
  private stateOperators: { arrow?: IToken; comma?: IToken; kleene?: IToken } = {};
  /** How many expression() calls are open: the depth limit is checked on the outermost. */
  private expressionNesting = 0;

  private problem(message: string, at: Location | IToken, hint?: string): void {
    const loc = 'image' in at ? tokenLocation(at) : at;
    const offendingText = 'image' in at ? at.image : '';
    this.problems.push({ message, line: loc.line, column: loc.column, offendingText, ...(hint ? { hint } : {}) });
  }

  // ---- app structure ------------------------------------------------------

  app(ctx: C.AppCstChildren): App {
    return this.appOf(ctx.element ?? []);
  }

  /**
   * The app of its elements' CSTs, visited in order: each may be parsed just
   * before and dropped after. An element quick-element.ts read straight to
   * its AST only has its annotations sorted here.
   */
  appOf(nodes: Iterable<C.ElementCstNode | QuickElement>): App {
    this.appAnnotations = [];
    const elements: AppElement[] = [];
    for (const n of nodes) elements.push('body' in n ? { ...n.body, annotations: this.ownAnnotations(n.annotations) } : this.element(n.children));
    return { kind: 'app', annotations: this.appAnnotations, elements };
  }

  /** Lifts `@app:…` annotations to the app; the rest decorate the element. */
  element(ctx: C.ElementCstChildren): AppElement {
    const annotations = this.annotations(ctx.annotation);
    if (ctx.definition) return { ...this.definition(ctx.definition[0]!.children), annotations };
    if (ctx.query) return { ...this.query(ctx.query[0]!.children, locationOf(ctx.query[0]!)), annotations };
    const node = ctx.partition![0]!;
    return { ...this.partition(node.children, locationOf(node)), annotations };
  }

  private annotations(nodes: C.AnnotationCstNode[] | undefined): Annotation[] {
    return this.ownAnnotations((nodes ?? []).map((node) => this.annotation(node.children, locationOf(node))));
  }

  /** The element's own annotations; `@app:…` ones go to the app. */
  private ownAnnotations(annotations: readonly Annotation[]): Annotation[] {
    const own: Annotation[] = [];
    for (const annotation of annotations) {
      if (annotation.namespace?.toLowerCase() === 'app') this.appAnnotations.push(annotation);
      else own.push(annotation);
    }
    return own;
  }

  annotation(ctx: C.AnnotationCstChildren, loc: Location): Annotation {
    const names = ctx.name.map((n) => nameValue(n));
    const elements: AnnotationElement[] = [];
    const annotations: Annotation[] = [];
    for (const node of ctx.annotationElement ?? []) {
      const item = this.annotationElement(node.children, locationOf(node));
      if ('kind' in item) annotations.push(item);
      else elements.push(item);
    }
    const [first, second] = names;
    const head = second === undefined ? { name: first! } : { namespace: first!, name: second };
    return { kind: 'annotation', ...head, elements, annotations, loc };
  }

  annotationElement(ctx: C.AnnotationElementCstChildren, loc: Location): Annotation | AnnotationElement {
    if (ctx.annotation) return this.annotation(ctx.annotation[0]!.children, loc);
    const value = this.propertyValue(ctx.propertyValue![0]!.children);
    return ctx.propertyName ? { key: this.propertyName(ctx.propertyName[0]!.children), value, loc } : { value, loc };
  }

  propertyName(ctx: C.PropertyNameCstChildren): string {
    const separators = [...(ctx.Dot ?? []), ...(ctx.Colon ?? []), ...(ctx.Minus ?? [])];
    separators.sort((a, b) => a.startOffset - b.startOffset);
    return ctx.name!.map((n, i) => (i === 0 ? '' : separators[i - 1]!.image) + nameValue(n)).join('');
  }

  propertyValue(ctx: C.PropertyValueCstChildren): string {
    if (ctx.StringLiteral) return stringValue(ctx.StringLiteral[0]!);
    return (ctx.NumberLiteral ?? ctx.True ?? ctx.False)![0]!.image;
  }

  // ---- definitions ----------------------------------------------------------

  definition(ctx: C.DefinitionCstChildren): Definition {
    const loc = tokenLocation(ctx.Define[0]!);
    if (ctx.streamDefinition) return this.streamDefinition(ctx.streamDefinition[0]!.children, loc);
    if (ctx.tableDefinition) return this.tableDefinition(ctx.tableDefinition[0]!.children, loc);
    if (ctx.windowDefinition) return this.windowDefinition(ctx.windowDefinition[0]!.children, loc);
    if (ctx.aggregationDefinition) return this.aggregationDefinition(ctx.aggregationDefinition[0]!.children, loc);
    if (ctx.functionDefinition) return this.functionDefinition(ctx.functionDefinition[0]!.children, loc);
    return this.triggerDefinition(ctx.triggerDefinition![0]!.children, loc);
  }

  streamDefinition(ctx: C.StreamDefinitionCstChildren, loc: Location): StreamDefinition {
    const attributes = this.attributeList(ctx.attributeList[0]!.children);
    return { kind: 'stream', name: nameValue(ctx.name[0]!), attributes, annotations: [], loc };
  }

  tableDefinition(ctx: C.TableDefinitionCstChildren, loc: Location): TableDefinition {
    const attributes = this.attributeList(ctx.attributeList[0]!.children);
    return { kind: 'table', name: nameValue(ctx.name[0]!), attributes, annotations: [], loc };
  }

  windowDefinition(ctx: C.WindowDefinitionCstChildren, loc: Location): WindowDefinition {
    const callNode = ctx.functionCall[0]!;
    return {
      kind: 'window',
      name: nameValue(ctx.name[0]!),
      attributes: this.attributeList(ctx.attributeList[0]!.children),
      window: this.windowCall(callNode),
      output: ctx.eventType ? this.eventType(ctx.eventType[0]!.children) : 'all',
      annotations: [],
      loc,
    };
  }

  functionDefinition(ctx: C.FunctionDefinitionCstChildren, loc: Location): FunctionDefinition {
    const body = ctx.ScriptBody[0]!.image;
    return {
      kind: 'function',
      name: nameValue(ctx.name[0]!),
      language: nameValue(ctx.language[0]!),
      returnType: this.attributeType(ctx.attributeType[0]!.children),
      body: body.slice(1, -1),
      annotations: [],
      loc,
    };
  }

  triggerDefinition(ctx: C.TriggerDefinitionCstChildren, loc: Location): TriggerDefinition {
    const name = nameValue(ctx.name[0]!);
    let at: TriggerDefinition['at'];
    if (ctx.timeValue) at = { kind: 'every', millis: this.timeValue(ctx.timeValue[0]!.children) };
    else {
      const text = stringValue(ctx.StringLiteral![0]!);
      at = text.trim().toLowerCase() === 'start' ? { kind: 'start' } : { kind: 'cron', expression: text };
    }
    return { kind: 'trigger', name, at, annotations: [], loc };
  }

  aggregationDefinition(ctx: C.AggregationDefinitionCstChildren, loc: Location): AggregationDefinition {
    const source = ctx.source[0]!;
    const selectorNode = ctx.selector[0]!;
    const listed = ctx.durations.map((t) => this.aggregationDuration(t));
    let durations: AggregationDuration[] = listed.filter((d): d is AggregationDuration => d !== undefined);
    if (ctx.Ellipsis && durations.length === 2) {
      const [from, to] = [AGGREGATION_ORDER.indexOf(durations[0]!), AGGREGATION_ORDER.indexOf(durations[1]!)];
      if (from > to) this.problem(`'every ${durations[0]} ... ${durations[1]}': the range must go from the finer duration to the coarser`, ctx.Ellipsis[0]!);
      durations = AGGREGATION_ORDER.slice(from, to + 1);
    } else if (!ctx.Ellipsis) {
      const seen = new Set<AggregationDuration>();
      ctx.durations.forEach((t, i) => {
        const d = listed[i];
        if (d === undefined) return;
        if (seen.has(d)) this.problem(`duration '${d}' is listed twice`, t);
        seen.add(d);
      });
      durations = AGGREGATION_ORDER.filter((d) => seen.has(d));
    }
    return {
      kind: 'aggregation',
      name: nameValue(ctx.name[0]!),
      input: this.source(source.children, locationOf(source)),
      selector: this.selector(selectorNode.children, locationOf(selectorNode)),
      ...(ctx.by ? { by: this.variable(ctx.by[0]!.children, locationOf(ctx.by[0]!)) } : {}),
      durations,
      annotations: [],
      loc,
    };
  }

  /** A time unit token as an aggregation duration; weeks and milliseconds are not durations of the reference. */
  private aggregationDuration(token: IToken): AggregationDuration | undefined {
    const d = AGGREGATION_UNITS[token.tokenType.name];
    if (d === undefined) {
      this.problem(`'${token.image}' is not an aggregation duration`, token, `use ${AGGREGATION_ORDER.join(', ')}`);
    }
    return d;
  }

  attributeList(ctx: C.AttributeListCstChildren): Attribute[] {
    return ctx.attribute.map((n) => this.attribute(n.children, locationOf(n)));
  }

  attribute(ctx: C.AttributeCstChildren, loc: Location): Attribute {
    return { name: nameValue(ctx.name[0]!), type: this.attributeType(ctx.attributeType[0]!.children), loc };
  }

  attributeType(ctx: C.AttributeTypeCstChildren): AttributeType {
    for (const [key, type] of ATTRIBUTE_TYPE_TOKENS) if (ctx[key]) return type;
    throw new Error('attributeType: no type token');
  }

  // ---- partitions -----------------------------------------------------------

  partition(ctx: C.PartitionCstChildren, loc: Location): Partition {
    const keys = ctx.partitionKey.map((n) => this.partitionKey(n.children, locationOf(n)));
    const queries = (ctx.partitionQuery ?? []).map((n) => this.partitionQuery(n.children));
    return { kind: 'partition', annotations: [], keys, queries, loc };
  }

  partitionKey(ctx: C.PartitionKeyCstChildren, loc: Location): PartitionKey {
    const stream = nameValue(ctx.name[0]!);
    const expressions = ctx.expression.map((n) => this.expression(n.children, locationOf(n)));
    if (!ctx.As) return { kind: 'value', stream, expression: expressions[0]!, loc };
    const labels = ctx.StringLiteral!;
    const ranges = expressions.map((condition, i) => ({ condition, label: stringValue(labels[i]!), loc: condition.loc }));
    return { kind: 'range', stream, ranges, loc };
  }

  partitionQuery(ctx: C.PartitionQueryCstChildren): Query {
    const annotations = (ctx.annotation ?? []).map((n) => this.annotation(n.children, locationOf(n)));
    const node = ctx.query[0]!;
    return { ...this.query(node.children, locationOf(node)), annotations };
  }

  // ---- queries --------------------------------------------------------------

  query(ctx: C.QueryCstChildren, loc: Location): Query {
    const input = this.queryInput(ctx.queryInput[0]!.children, locationOf(ctx.queryInput[0]!));
    const selector = ctx.selector
      ? this.selector(ctx.selector[0]!.children, locationOf(ctx.selector[0]!))
      : { star: true, attributes: [], groupBy: [], orderBy: [], loc };
    let output = this.outputAction(ctx.outputAction[0]!.children);
    const rate = ctx.outputRate ? { outputRate: this.outputRate(ctx.outputRate[0]!.children, locationOf(ctx.outputRate[0]!)) } : {};
    // As the reference: a snapshot rate with a bare `insert into` outputs all events.
    const bare = ctx.outputAction[0]!.children.insertInto?.[0]?.children.eventType === undefined;
    if (rate.outputRate?.kind === 'snapshot' && output.kind === 'insert' && bare) output = { ...output, events: 'all' };
    return { kind: 'query', annotations: [], input, selector, ...rate, output, loc };
  }

  onDemandQuery(ctx: C.OnDemandQueryCstChildren, loc: Location): OnDemandQuery {
    const on = ctx.on ? this.expression(ctx.on[0]!.children, locationOf(ctx.on[0]!)) : undefined;
    const input = ctx.store
      ? {
        input: {
          store: nameValue(ctx.store[0]!),
          ...(ctx.alias ? { alias: nameValue(ctx.alias[0]!) } : {}),
          ...(on ? { on } : {}),
          ...(ctx.withinPer ? { within: this.withinPer(ctx.withinPer[0]!.children, locationOf(ctx.withinPer[0]!)) } : {}),
          loc: tokenLocation(ctx.store[0]!),
        },
      }
      : {};
    const selector = ctx.selector
      ? this.selector(ctx.selector[0]!.children, locationOf(ctx.selector[0]!))
      : { star: true, attributes: [], groupBy: [], orderBy: [], loc };
    if (!ctx.store && !ctx.outputAction) this.problem("an on-demand query needs 'from <table>' or a table write", loc);
    const output: OutputAction = ctx.outputAction
      ? this.outputAction(ctx.outputAction[0]!.children)
      : { kind: 'return', events: 'current', loc };
    return { kind: 'onDemand', ...input, selector, output, loc };
  }

  queryInput(ctx: C.QueryInputCstChildren, loc: Location): QueryInput {
    if (ctx.stateInput) return this.stateInput(ctx.stateInput[0]!.children, loc);
    return this.streamInput(ctx.streamInput![0]!.children, loc);
  }

  streamInput(ctx: C.StreamInputCstChildren, loc: Location): SingleInput | JoinInput {
    const left = this.joinSource(ctx.joinSource[0]!.children, locationOf(ctx.joinSource[0]!));
    if (!ctx.joinClause) {
      if (left.unidirectional) this.problem("'unidirectional' is only allowed in a join", left.unidirectional);
      return left.input;
    }
    return this.joinClause(ctx.joinClause[0]!.children, loc, left);
  }

  joinSource(ctx: C.JoinSourceCstChildren, loc: Location): { input: SingleInput; unidirectional?: IToken } {
    const source = this.source(ctx.source[0]!.children, loc);
    const input = ctx.name ? { ...source, alias: nameValue(ctx.name[0]!) } : source;
    return ctx.Unidirectional ? { input, unidirectional: ctx.Unidirectional[0]! } : { input };
  }

  joinClause(
    ctx: C.JoinClauseCstChildren,
    loc: Location,
    left?: { input: SingleInput; unidirectional?: IToken },
  ): JoinInput {
    const right = this.joinSource(ctx.joinSource[0]!.children, locationOf(ctx.joinSource[0]!));
    for (const side of [left?.input, right.input]) if (side) this.checkJoinSide(side);
    if (left?.unidirectional && right.unidirectional) {
      this.problem("'unidirectional' may mark only one side of a join", right.unidirectional);
    }
    const unidirectional = left?.unidirectional ? 'left' : right.unidirectional ? 'right' : undefined;
    const optional = (nodes: C.ExpressionCstNode[] | undefined) =>
      nodes ? this.expression(nodes[0]!.children, locationOf(nodes[0]!)) : undefined;
    const on = optional(ctx.on);
    const within = ctx.withinPer ? this.withinPer(ctx.withinPer[0]!.children, locationOf(ctx.withinPer[0]!)) : undefined;
    return {
      kind: 'join',
      joinType: this.joinType(ctx.joinType[0]!.children),
      left: left!.input,
      right: right.input,
      ...(unidirectional ? { unidirectional } : {}),
      ...(on ? { on } : {}),
      ...(within ? { within } : {}),
      loc,
    };
  }

  withinPer(ctx: C.WithinPerCstChildren, loc: Location): WithinPer {
    const [start, end] = ctx.within.map((n) => this.expression(n.children, locationOf(n)));
    const per = ctx.per ? this.expression(ctx.per[0]!.children, locationOf(ctx.per[0]!)) : undefined;
    return { start: start!, ...(end ? { end } : {}), ...(per ? { per } : {}), loc };
  }

  /**
   * A join side is `source [filters and functions] [window] [as alias]` in the
   * reference grammar (join_source): anything after the window is a syntax error there.
   */
  private checkJoinSide(side: SingleInput): void {
    const windowAt = side.handlers.findIndex((h) => h.kind === 'window');
    const after = windowAt >= 0 ? side.handlers[windowAt + 1] : undefined;
    if (!after) return;
    this.problems.push({
      message: `a join side ends at its window (then 'as <alias>'), but a ${after.kind === 'filter' ? 'filter' : 'stream function'} follows it`,
      line: after.loc.line,
      column: after.loc.column,
      offendingText: after.kind === 'filter' ? '[' : '#',
      hint: 'in a join, the window must be the last element of a side: move the filter or function before it',
    });
  }

  joinType(ctx: C.JoinTypeCstChildren): JoinType {
    if (ctx.Left) return 'left';
    if (ctx.Right) return 'right';
    if (ctx.Full) return 'full';
    return 'inner';
  }

  source(ctx: C.SourceCstChildren, loc: Location): SingleInput {
    const handlers = (ctx.streamHandler ?? []).map((n) => this.streamHandler(n.children, locationOf(n)));
    // A fault stream is named `!S`, the name its junction is planned under.
    const stream = `${ctx.Bang ? '!' : ''}${nameValue(ctx.name[0]!)}`;
    return { kind: 'single', stream, inner: ctx.Hash !== undefined, handlers, loc };
  }

  streamHandler(ctx: C.StreamHandlerCstChildren, loc: Location): StreamHandler {
    if (ctx.expression) return { kind: 'filter', condition: this.expression(ctx.expression[0]!.children, loc), loc };
    if (ctx.window) return { kind: 'window', call: this.windowCall(ctx.window[0]!), loc };
    return { kind: 'function', call: this.windowCall(ctx.streamFunction![0]!, true), loc };
  }

  /** `starred`: a stream function, which takes `f(*)` (every input attribute) as the reference does; a window does not. */
  private windowCall(node: C.FunctionCallCstNode, starred = false): WindowCall {
    const call = this.functionCall(node.children, locationOf(node));
    if (call.star && !starred) this.problem(`'${call.name}(*)': '*' is only an argument of functions and stream functions`, node.children.Star![0]!);
    return { ...(call.namespace ? { namespace: call.namespace } : {}), name: call.name, args: call.args, ...(call.star && starred ? { star: true } : {}), loc: call.loc };
  }

  // ---- patterns and sequences -----------------------------------------------

  stateInput(ctx: C.StateInputCstChildren, loc: Location): StateInput {
    this.stateOperators = {};
    const element = this.stateChain(ctx.stateChain[0]!.children).element;
    const { arrow, comma, kleene } = this.stateOperators;
    if (arrow && comma) {
      this.problem("a query mixes '->' (pattern) and ',' (sequence); use one of them", comma);
    }
    if (arrow && kleene) {
      this.problem(`'${kleene.image}' is a sequence operator; patterns count with <min:max>`, kleene);
    }
    const type = comma || (!arrow && kleene) ? 'sequence' : 'pattern';
    return { kind: 'state', type, element, loc };
  }

  /**
   * `A -> B -> C` nests to the right: next(A, next(B, C)). A `within` written
   * after the chain's last element applies to the whole chain.
   */
  stateChain(ctx: C.StateChainCstChildren): StateTermResult {
    this.stateOperators.arrow ??= ctx.Arrow?.[0];
    this.stateOperators.comma ??= ctx.Comma?.[0];
    const terms = ctx.stateTerm.map((n) => this.stateTerm(n.children, locationOf(n)));
    if (terms.length === 1) return terms[0]!;
    const last = terms[terms.length - 1]!;
    let element: StateElement = last.element;
    if (last.trailingWithin !== undefined) element = withoutWithin(element);
    for (let i = terms.length - 2; i >= 0; i--) {
      const first = terms[i]!.element;
      element = { kind: 'next', first, next: element, loc: first.loc };
    }
    return last.trailingWithin !== undefined ? { element: { ...element, within: last.trailingWithin } } : { element };
  }

  stateTerm(ctx: C.StateTermCstChildren, loc: Location): StateTermResult {
    let element: StateElement = ctx.stateChain
      ? this.stateChain(ctx.stateChain[0]!.children).element
      : this.logicalState(ctx.logicalState![0]!.children, locationOf(ctx.logicalState![0]!));
    if (ctx.Every) element = { kind: 'every', element, loc };
    if (!ctx.timeValue) return { element };
    const within = this.timeValue(ctx.timeValue[0]!.children);
    element = { ...element, within };
    return ctx.stateChain ? { element } : { element, trailingWithin: within };
  }

  logicalState(ctx: C.LogicalStateCstChildren, loc: Location): StateElement {
    const atoms = ctx.stateAtom.map((n) => this.stateAtom(n.children, locationOf(n)));
    if (atoms.length === 1) return atoms[0]!;
    const op = ctx.And ? 'and' : 'or';
    const [left, right] = atoms as [StateElement, StateElement];
    for (const side of [left, right]) {
      if (side.kind === 'count') this.problem(`a counted element cannot be a side of '${op}'`, side.loc);
    }
    const simple = (e: StateElement) => (e.kind === 'count' ? e.stream : (e as StreamStateElement | AbsentStateElement));
    return { kind: 'logical', op, left: simple(left), right: simple(right), loc };
  }

  stateAtom(ctx: C.StateAtomCstChildren, loc: Location): StateElement {
    if (ctx.absentState) return this.absentState(ctx.absentState[0]!.children, loc);
    return this.streamState(ctx.streamState![0]!.children, loc);
  }

  absentState(ctx: C.AbsentStateCstChildren, loc: Location): AbsentStateElement {
    const input = this.source(ctx.source[0]!.children, locationOf(ctx.source[0]!));
    const wait = ctx.timeValue ? { waitMillis: this.timeValue(ctx.timeValue[0]!.children) } : {};
    return { kind: 'absent', input, ...wait, loc };
  }

  streamState(ctx: C.StreamStateCstChildren, loc: Location): StreamStateElement | CountStateElement {
    const input = this.source(ctx.source[0]!.children, locationOf(ctx.source[0]!));
    const ref = ctx.ref ? { ref: nameValue(ctx.ref[0]!) } : {};
    const stream: StreamStateElement = { kind: 'stream', ...ref, input, loc };
    if (!ctx.stateCount) return stream;
    const { min, max } = this.stateCount(ctx.stateCount[0]!.children);
    return { kind: 'count', stream, min, max, loc };
  }

  stateCount(ctx: C.StateCountCstChildren): { min: number; max: number } {
    const kleene = ctx.Plus ?? ctx.Star ?? ctx.Question;
    if (kleene) {
      this.stateOperators.kleene ??= kleene[0]!;
      if (ctx.Plus) return { min: 1, max: -1 };
      return ctx.Star ? { min: 0, max: -1 } : { min: 0, max: 1 };
    }
    const min = ctx.min ? Number(ctx.min[0]!.image) : 0;
    if (!ctx.Colon) return { min, max: min };
    const max = ctx.max ? Number(ctx.max[0]!.image) : -1;
    if (max !== -1 && max < min) this.problem(`count <${min}:${max}>: the maximum is below the minimum`, ctx.Less![0]!);
    return { min, max };
  }

  // ---- selector, output rate, output action -----------------------------------

  selector(ctx: C.SelectorCstChildren, loc: Location): Selector {
    const expr = (nodes: C.ExpressionCstNode[] | undefined) =>
      nodes ? this.expression(nodes[0]!.children, locationOf(nodes[0]!)) : undefined;
    const having = expr(ctx.having);
    const limit = expr(ctx.limit);
    const offset = expr(ctx.offset);
    return {
      star: ctx.Star !== undefined,
      attributes: (ctx.outputAttribute ?? []).map((n) => this.outputAttribute(n.children, locationOf(n))),
      groupBy: (ctx.variable ?? []).map((n) => this.variable(n.children, locationOf(n))),
      ...(having ? { having } : {}),
      orderBy: (ctx.orderByItem ?? []).map((n) => this.orderByItem(n.children, locationOf(n))),
      ...(limit ? { limit } : {}),
      ...(offset ? { offset } : {}),
      loc,
    };
  }

  outputAttribute(ctx: C.OutputAttributeCstChildren, loc: Location): OutputAttribute {
    const expression = this.expression(ctx.expression[0]!.children, loc);
    return ctx.name ? { expression, rename: nameValue(ctx.name[0]!), loc } : { expression, loc };
  }

  orderByItem(ctx: C.OrderByItemCstChildren, loc: Location): OrderByAttribute {
    const variable = this.variable(ctx.variable[0]!.children, loc);
    return { variable, order: ctx.Desc ? 'desc' : 'asc', loc };
  }

  outputRate(ctx: C.OutputRateCstChildren, loc: Location): OutputRate {
    if (ctx.Snapshot) return { kind: 'snapshot', millis: this.timeValue(ctx.timeValue![0]!.children), loc };
    const type = ctx.First ? 'first' : ctx.Last ? 'last' : 'all';
    if (ctx.Events) {
      const count = Number(ctx.IntLiteral![0]!.image);
      if (count < 1) this.problem('output rate: the event count must be at least 1', ctx.IntLiteral![0]!);
      return { kind: 'events', type, count, loc };
    }
    return { kind: 'time', type, millis: this.timeValue(ctx.timeValue![0]!.children), loc };
  }

  outputAction(ctx: C.OutputActionCstChildren): OutputAction {
    const at = (nodes: CstNode[]) => locationOf(nodes[0]!);
    if (ctx.insertInto) return this.insertInto(ctx.insertInto[0]!.children, at(ctx.insertInto));
    if (ctx.deleteFrom) return this.deleteFrom(ctx.deleteFrom[0]!.children, at(ctx.deleteFrom));
    if (ctx.updateOrInsert) return this.updateOrInsert(ctx.updateOrInsert[0]!.children, at(ctx.updateOrInsert));
    if (ctx.updateTable) return this.updateTable(ctx.updateTable[0]!.children, at(ctx.updateTable));
    return this.returnOutput(ctx.returnOutput![0]!.children, at(ctx.returnOutput!));
  }

  insertInto(ctx: C.InsertIntoCstChildren, loc: Location): InsertInto {
    const events = ctx.eventType ? this.eventType(ctx.eventType[0]!.children) : 'current';
    return { kind: 'insert', target: nameValue(ctx.name[0]!), inner: ctx.Hash !== undefined, events, loc };
  }

  deleteFrom(ctx: C.DeleteFromCstChildren, loc: Location): DeleteFrom {
    return { kind: 'delete', table: nameValue(ctx.name[0]!), events: this.forEventsOf(ctx.forEvents), on: this.firstExpression(ctx.expression), loc };
  }

  updateOrInsert(ctx: C.UpdateOrInsertCstChildren, loc: Location): UpdateOrInsert {
    const table = nameValue(ctx.name[0]!);
    return { kind: 'upsert', table, events: this.forEventsOf(ctx.forEvents), set: this.setOf(ctx.setClause), on: this.firstExpression(ctx.expression), loc };
  }

  updateTable(ctx: C.UpdateTableCstChildren, loc: Location): UpdateTable {
    const table = nameValue(ctx.name[0]!);
    return { kind: 'update', table, events: this.forEventsOf(ctx.forEvents), set: this.setOf(ctx.setClause), on: this.firstExpression(ctx.expression), loc };
  }

  returnOutput(ctx: C.ReturnOutputCstChildren, loc: Location): ReturnOutput {
    return { kind: 'return', events: ctx.eventType ? this.eventType(ctx.eventType[0]!.children) : 'current', loc };
  }

  private forEventsOf(nodes: C.ForEventsCstNode[] | undefined): OutputEventType {
    return nodes ? this.forEvents(nodes[0]!.children) : 'current';
  }

  private setOf(nodes: C.SetClauseCstNode[] | undefined): SetAssignment[] {
    return nodes ? this.setClause(nodes[0]!.children) : [];
  }

  private firstExpression(nodes: C.ExpressionCstNode[]): Expression {
    return this.expression(nodes[0]!.children, locationOf(nodes[0]!));
  }

  forEvents(ctx: C.ForEventsCstChildren): OutputEventType {
    return this.eventType(ctx.eventType[0]!.children);
  }

  eventType(ctx: C.EventTypeCstChildren): OutputEventType {
    return ctx.All ? 'all' : ctx.Expired ? 'expired' : 'current';
  }

  setClause(ctx: C.SetClauseCstChildren): SetAssignment[] {
    return ctx.setAssignment.map((n) => this.setAssignment(n.children, locationOf(n)));
  }

  setAssignment(ctx: C.SetAssignmentCstChildren, loc: Location): SetAssignment {
    const column = this.variable(ctx.variable[0]!.children, locationOf(ctx.variable[0]!));
    return { column, value: this.firstExpression(ctx.expression), loc };
  }

  // ---- expressions ----------------------------------------------------------

  /** Applies operator precedence to the flat operand/operator list (see ./precedence.ts). */
  expression(ctx: C.ExpressionCstChildren, loc: Location): Expression {
    const items: ExpressionItem[] = [];
    this.expressionNesting++;
    try {
      ctx.operands.forEach((node, i) => {
        if (i > 0) items.push({ kind: 'binary', token: ctx.operators![i - 1]! });
        this.operand(node.children, locationOf(node), items);
      });
    } finally {
      this.expressionNesting--;
    }
    // Limits (./limits.ts): applyPrecedence, the planner and the compiled closures recurse on depth.
    if (items.length > MAX_EXPRESSION_ITEMS) {
      this.problem(`an expression of more than ${MAX_EXPRESSION_ITEMS} operands and operators`, loc, 'split it into several attributes or queries');
      return { kind: 'constant', type: 'bool', value: false, loc };
    }
    const expression = applyPrecedence(items, (literal) => {
      this.problem(`integer literal ${INT_MAX + 1} does not fit an int`, literal.loc, `write ${INT_MAX + 1}L for a long`);
    });
    if (this.expressionNesting === 0 && expressionDepth(expression) > MAX_EXPRESSION_DEPTH) {
      this.problem(`an expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, loc, 'split it into several attributes or queries');
    }
    return expression;
  }

  operand(ctx: C.OperandCstChildren, loc: Location, items: ExpressionItem[] = []): ExpressionItem[] {
    for (const token of ctx.prefixes ?? []) items.push({ kind: 'prefix', token });
    items.push({ kind: 'atom', expression: this.primary(ctx.primary[0]!.children, locationOf(ctx.primary[0]!)) });
    for (const node of ctx.postfixes ?? []) items.push(this.postfix(node.children, locationOf(node)));
    return items;
  }

  postfix(ctx: C.PostfixCstChildren, loc: Location): ExpressionItem {
    if (ctx.table) return { kind: 'in', token: ctx.In![0]!, table: nameValue(ctx.table[0]!) };
    return { kind: 'isNull', token: ctx.Is![0]! };
  }

  primary(ctx: C.PrimaryCstChildren, loc: Location): Expression {
    if (ctx.expression) return this.expression(ctx.expression[0]!.children, locationOf(ctx.expression[0]!));
    if (ctx.timeValue) return { kind: 'time', millis: this.timeValue(ctx.timeValue[0]!.children), loc };
    if (ctx.functionCall) return this.functionCall(ctx.functionCall[0]!.children, loc);
    if (ctx.variable) return this.variable(ctx.variable[0]!.children, loc);
    if (ctx.NumberLiteral) {
      const token = ctx.NumberLiteral[0]!;
      const { type, value } = numberValue(token);
      if (type === 'int' && value > INT_MAX + 1) {
        this.problem(`integer literal ${token.image} does not fit an int`, token, `write ${token.image}L for a long`);
      }
      return { kind: 'constant', type, value, loc };
    }
    if (ctx.StringLiteral) return { kind: 'constant', type: 'string', value: stringValue(ctx.StringLiteral[0]!), loc };
    if (ctx.Null) return { kind: 'constant', type: 'object', value: null, loc };
    return { kind: 'constant', type: 'bool', value: ctx.True !== undefined, loc };
  }

  /** Sum of `<number> <unit>` parts in milliseconds. */
  timeValue(ctx: C.TimeValueCstChildren): number {
    let millis = 0;
    ctx.NumberLiteral.forEach((number, i) => {
      millis += numberValue(number).value * unitMillis(ctx.TimeUnit[i]!);
    });
    return Math.round(millis);
  }

  functionCall(ctx: C.FunctionCallCstChildren, loc: Location): FunctionCall {
    const namespace = ctx.namespace ? { namespace: nameValue(ctx.namespace[0]!) } : {};
    const args = (ctx.expression ?? []).map((n) => this.expression(n.children, locationOf(n)));
    const star = ctx.Star ? { star: true } : {};
    return { kind: 'call', ...namespace, name: nameValue(ctx.name[0]!), args, ...star, loc };
  }

  variable(ctx: C.VariableCstChildren, loc: Location): Variable {
    const first = nameValue(ctx.name[0]!);
    const inner = ctx.Hash ? { inner: true } : {};
    const index = ctx.eventIndex ? { index: this.eventIndex(ctx.eventIndex[0]!.children) } : {};
    if (!ctx.attribute) return { kind: 'variable', name: first, ...inner, ...index, loc };
    return { kind: 'variable', name: nameValue(ctx.attribute[0]!), stream: first, ...inner, ...index, loc };
  }

  eventIndex(ctx: C.EventIndexCstChildren): EventIndex {
    if (!ctx.Last) return { kind: 'at', at: Number(ctx.IntLiteral![0]!.image) };
    return { kind: 'last', minus: ctx.IntLiteral ? Number(ctx.IntLiteral[0]!.image) : 0 };
  }
}

/** The element with its own `within` removed (it moves to the enclosing chain). */
function withoutWithin(element: StateElement): StateElement {
  const { within: _within, ...rest } = element;
  return rest as StateElement;
}
