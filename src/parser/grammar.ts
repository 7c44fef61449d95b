// The SiddhiQL grammar as a Chevrotain CST parser: rules only, no actions.
// One instance is created on first use and reused; see parse-app.ts.

import type { ILookaheadStrategy, IParserErrorMessageProvider, TokenType } from 'chevrotain';
import { CstParser, EOF, tokenMatcher } from './chevrotain.js';
import { TableLookahead } from './lookahead.js';
import { findResyncType } from './resync.js';
import { LOOKAHEAD_TABLE } from './lookahead.generated.js';
import * as T from './tokens.js';

export interface SiddhiParserOptions {
  readonly errorMessageProvider?: IParserErrorMessageProvider;
  /** Run Chevrotain's grammar validations and compute every lookahead (slow: tests and generation only). */
  readonly validate?: boolean;
  /** Where the lookahead paths come from; by default the generated table. */
  readonly lookahead?: ILookaheadStrategy;
  /**
   * Error recovery (default on). Off, the first syntax error ends the parse,
   * and a valid input parses with less work: each repetition skips
   * Chevrotain's in-repetition recovery check.
   */
  readonly recovery?: boolean;
}

export class SiddhiParser extends CstParser {
  constructor(options: SiddhiParserOptions = {}) {
    const table = options.validate === true || options.lookahead !== undefined ? undefined : new TableLookahead(LOOKAHEAD_TABLE, T.allTokens);
    super(T.allTokens, {
      recoveryEnabled: options.recovery !== false,
      nodeLocationTracking: 'full',
      maxLookahead: 3,
      skipValidations: options.validate !== true,
      ...(options.validate === true ? {} : { lookaheadStrategy: options.lookahead ?? table }),
      ...(options.errorMessageProvider ? { errorMessageProvider: options.errorMessageProvider } : {}),
    });
    const follows = options.recovery === false ? undefined : table?.follows();
    if (follows === undefined) {
      this.performSelfAnalysis();
      return;
    }
    // Error recovery's follow sets come from the table too: Chevrotain computes them only when recovery is on.
    const recovery = this as unknown as { recoveryEnabled: boolean; resyncFollows: Record<string, TokenType[]> };
    recovery.recoveryEnabled = false;
    try {
      this.performSelfAnalysis();
    } finally {
      recovery.recoveryEnabled = true;
    }
    recovery.resyncFollows = follows;
  }

  /**
   * Chevrotain records each syntax error here. Error recovery costs up to a
   * millisecond per stray token, so past MAX_RAW_ERRORS the parse is cut short
   * (parse-app.ts reports the errors so far): a 1 MB app of junk fails fast.
   */
  SAVE_ERROR(error: Error): Error {
    const saved = (CstParser.prototype as unknown as { SAVE_ERROR(e: Error): Error }).SAVE_ERROR.call(this, error);
    if (this.errors.length >= MAX_RAW_ERRORS) throw new TooManySyntaxErrors();
    return saved;
  }

  /** Chevrotain's error-recovery scan, made linear (resync.ts). */
  findReSyncTokenType(): TokenType {
    const follows = (this as unknown as { flattenFollowSet(): TokenType[] }).flattenFollowSet();
    return findResyncType(follows, (k) => this.LA(k));
  }

  // ---- app structure ------------------------------------------------------

  /** Elements separated by `;` (the last `;` is optional). */
  app = this.RULE('app', () => {
    this.MANY(() => this.CONSUME(T.Semi));
    this.OPTION(() => {
      this.SUBRULE(this.element);
      this.MANY2(() => {
        this.AT_LEAST_ONE(() => this.CONSUME2(T.Semi));
        this.OPTION2(() => this.SUBRULE2(this.element));
      });
    });
  });

  element = this.RULE('element', () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.OR([
      { ALT: () => this.SUBRULE(this.definition) },
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.partition) },
    ]);
  });

  annotation = this.RULE('annotation', () => {
    this.CONSUME(T.At);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.CONSUME2(T.Identifier, { LABEL: 'name' });
    });
    this.OPTION2(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.annotationElement) });
      this.CONSUME(T.RParen);
    });
  });

  annotationElement = this.RULE('annotationElement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.annotation) },
      {
        ALT: () => {
          this.OPTION(() => {
            this.SUBRULE(this.propertyName);
            this.CONSUME(T.Assign);
          });
          this.SUBRULE(this.propertyValue);
        },
      },
    ]);
  });

  propertyName = this.RULE('propertyName', () => {
    // A hard keyword is a name in a key, first part or later (null.x, enable.null.attribute.value), as the reference's grammar allows.
    this.OR3([
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'name' }) },
      { ALT: () => this.CONSUME3(T.Null, { LABEL: 'name' }) },
      { ALT: () => this.CONSUME3(T.True, { LABEL: 'name' }) },
      { ALT: () => this.CONSUME3(T.False, { LABEL: 'name' }) },
      { ALT: () => this.CONSUME3(T.Not, { LABEL: 'name' }) },
    ]);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Dot) },
        { ALT: () => this.CONSUME(T.Colon) },
        { ALT: () => this.CONSUME(T.Minus) },
      ]);
      this.OR2([
        { ALT: () => this.CONSUME2(T.Identifier, { LABEL: 'name' }) },
        { ALT: () => this.CONSUME(T.Null, { LABEL: 'name' }) },
        { ALT: () => this.CONSUME(T.True, { LABEL: 'name' }) },
        { ALT: () => this.CONSUME(T.False, { LABEL: 'name' }) },
        { ALT: () => this.CONSUME(T.Not, { LABEL: 'name' }) },
      ]);
    });
  });

  propertyValue = this.RULE('propertyValue', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
    ]);
  });

  // ---- definitions ----------------------------------------------------------

  definition = this.RULE('definition', () => {
    this.CONSUME(T.Define);
    this.OR([
      { ALT: () => this.SUBRULE(this.streamDefinition) },
      { ALT: () => this.SUBRULE(this.tableDefinition) },
      { ALT: () => this.SUBRULE(this.windowDefinition) },
      { ALT: () => this.SUBRULE(this.triggerDefinition) },
      { ALT: () => this.SUBRULE(this.aggregationDefinition) },
      { ALT: () => this.SUBRULE(this.functionDefinition) },
    ]);
  });

  /** `function name[language] return type { body }` */
  functionDefinition = this.RULE('functionDefinition', () => {
    this.CONSUME(T.FunctionKeyword);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.LBracket);
    this.CONSUME2(T.Identifier, { LABEL: 'language' });
    this.CONSUME(T.RBracket);
    this.CONSUME(T.Return);
    this.SUBRULE(this.attributeType);
    this.CONSUME(T.ScriptBody);
  });

  /** `aggregation A from S[filter] select … [group by …] aggregate [by attr] every sec ... year` (or `every sec, min`). */
  aggregationDefinition = this.RULE('aggregationDefinition', () => {
    this.CONSUME(T.Aggregation);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.From);
    this.SUBRULE(this.source);
    this.SUBRULE(this.selector);
    this.CONSUME(T.Aggregate);
    this.OPTION(() => {
      this.CONSUME(T.By);
      this.SUBRULE(this.variable, { LABEL: 'by' });
    });
    this.CONSUME(T.Every);
    this.CONSUME(T.TimeUnit, { LABEL: 'durations' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Ellipsis);
          this.CONSUME2(T.TimeUnit, { LABEL: 'durations' });
        },
      },
      {
        ALT: () => this.MANY(() => {
          this.CONSUME(T.Comma);
          this.CONSUME3(T.TimeUnit, { LABEL: 'durations' });
        }),
      },
    ]);
  });

  streamDefinition = this.RULE('streamDefinition', () => {
    this.CONSUME(T.Stream);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.SUBRULE(this.attributeList);
  });

  tableDefinition = this.RULE('tableDefinition', () => {
    this.CONSUME(T.Table);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.SUBRULE(this.attributeList);
  });

  windowDefinition = this.RULE('windowDefinition', () => {
    this.CONSUME(T.Window);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.SUBRULE(this.attributeList);
    this.SUBRULE(this.functionCall);
    this.OPTION(() => {
      this.CONSUME(T.Output);
      this.SUBRULE(this.eventType);
    });
  });

  triggerDefinition = this.RULE('triggerDefinition', () => {
    this.CONSUME(T.Trigger);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.AtKeyword);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Every);
          this.SUBRULE(this.timeValue);
        },
      },
      { ALT: () => this.CONSUME(T.StringLiteral) },
    ]);
  });

  attributeList = this.RULE('attributeList', () => {
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.attribute) });
    this.CONSUME(T.RParen);
  });

  attribute = this.RULE('attribute', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.SUBRULE(this.attributeType);
  });

  attributeType = this.RULE('attributeType', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringType) },
      { ALT: () => this.CONSUME(T.IntType) },
      { ALT: () => this.CONSUME(T.LongType) },
      { ALT: () => this.CONSUME(T.FloatType) },
      { ALT: () => this.CONSUME(T.DoubleType) },
      { ALT: () => this.CONSUME(T.BoolType) },
      { ALT: () => this.CONSUME(T.ObjectType) },
    ]);
  });

  // ---- partitions -----------------------------------------------------------

  partition = this.RULE('partition', () => {
    this.CONSUME(T.Partition);
    this.CONSUME(T.With);
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.partitionKey) });
    this.CONSUME(T.RParen);
    this.CONSUME(T.Begin);
    this.MANY(() => this.CONSUME(T.Semi));
    this.OPTION(() => {
      this.SUBRULE(this.partitionQuery);
      this.MANY2(() => {
        this.AT_LEAST_ONE(() => this.CONSUME2(T.Semi));
        this.OPTION2(() => this.SUBRULE2(this.partitionQuery));
      });
    });
    this.CONSUME(T.End);
  });

  /** `expr of S` (value) or `cond as 'label' or cond as 'label' … of S` (range). */
  partitionKey = this.RULE('partitionKey', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.StringLiteral);
      this.MANY(() => {
        this.CONSUME(T.Or);
        this.SUBRULE2(this.expression);
        this.CONSUME2(T.As);
        this.CONSUME2(T.StringLiteral);
      });
    });
    this.CONSUME(T.Of);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
  });

  partitionQuery = this.RULE('partitionQuery', () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.SUBRULE(this.query);
  });

  // ---- queries --------------------------------------------------------------

  query = this.RULE('query', () => {
    this.CONSUME(T.From);
    this.SUBRULE(this.queryInput);
    this.OPTION(() => this.SUBRULE(this.selector));
    this.OPTION2(() => this.SUBRULE(this.outputRate));
    this.SUBRULE(this.outputAction);
  });

  /** An on-demand query: `from T [as t] [on cond] [select …] [write]`, or `[select …] write`. */
  onDemandQuery = this.RULE('onDemandQuery', () => {
    this.OPTION(() => {
      this.CONSUME(T.From);
      this.CONSUME(T.Identifier, { LABEL: 'store' });
      this.OPTION2(() => {
        this.CONSUME(T.As);
        this.CONSUME2(T.Identifier, { LABEL: 'alias' });
      });
      this.OPTION3(() => {
        this.CONSUME(T.On);
        this.SUBRULE(this.expression, { LABEL: 'on' });
      });
      this.OPTION7(() => this.SUBRULE(this.withinPer));
    });
    this.OPTION4(() => this.SUBRULE(this.selector));
    this.OPTION5(() => this.SUBRULE(this.outputAction));
    this.OPTION6(() => this.CONSUME(T.Semi));
  });

  queryInput = this.RULE('queryInput', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.startsStateInput(), ALT: () => this.SUBRULE(this.stateInput) },
        { ALT: () => this.SUBRULE(this.streamInput) },
      ],
    });
  });

  /** A single stream, or a join when followed by a join clause. */
  streamInput = this.RULE('streamInput', () => {
    this.SUBRULE(this.joinSource);
    this.OPTION(() => this.SUBRULE(this.joinClause));
  });

  joinSource = this.RULE('joinSource', () => {
    this.SUBRULE(this.source);
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.Identifier, { LABEL: 'name' });
    });
    this.OPTION2(() => this.CONSUME(T.Unidirectional));
  });

  joinClause = this.RULE('joinClause', () => {
    this.SUBRULE(this.joinType);
    this.SUBRULE(this.joinSource);
    this.OPTION(() => {
      this.CONSUME(T.On);
      this.SUBRULE(this.expression, { LABEL: 'on' });
    });
    this.OPTION2(() => this.SUBRULE(this.withinPer));
  });

  /** `within start[, end] [per duration]`: the time range and granularity of an aggregation read. */
  withinPer = this.RULE('withinPer', () => {
    this.CONSUME(T.Within);
    this.SUBRULE(this.expression, { LABEL: 'within' });
    this.OPTION(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression, { LABEL: 'within' });
    });
    this.OPTION2(() => {
      this.CONSUME(T.Per);
      this.SUBRULE3(this.expression, { LABEL: 'per' });
    });
  });

  joinType = this.RULE('joinType', () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Inner) },
        {
          // The reference has no bare `outer join`: left, right or full is required.
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(T.Left) },
              { ALT: () => this.CONSUME(T.Right) },
              { ALT: () => this.CONSUME(T.Full) },
            ]);
            this.CONSUME(T.Outer);
          },
        },
      ]);
    });
    this.CONSUME(T.Join);
  });

  /** `#` (inner) or `!` (fault stream)? stream name followed by filters, windows and stream functions. */
  source = this.RULE('source', () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Hash) },
        { ALT: () => this.CONSUME(T.Bang) },
      ]);
    });
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.MANY(() => this.SUBRULE(this.streamHandler));
  });

  /** A filter `[cond]` (also written `#[cond]`), a window `#window.w(…)` or a stream function `#f(…)`. */
  streamHandler = this.RULE('streamHandler', () => {
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME3(T.Hash));
          this.CONSUME(T.LBracket);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RBracket);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Hash);
          this.CONSUME(T.Window);
          this.CONSUME(T.Dot);
          this.SUBRULE(this.functionCall, { LABEL: 'window' });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.Hash);
          this.SUBRULE2(this.functionCall, { LABEL: 'streamFunction' });
        },
      },
    ]);
  });

  // ---- patterns and sequences -----------------------------------------------

  /** A chain of states joined by `->` (pattern) or `,` (sequence). */
  stateInput = this.RULE('stateInput', () => {
    this.SUBRULE(this.stateChain);
  });

  stateChain = this.RULE('stateChain', () => {
    this.SUBRULE(this.stateTerm);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Arrow) }, { ALT: () => this.CONSUME(T.Comma) }]);
      this.SUBRULE2(this.stateTerm);
    });
  });

  stateTerm = this.RULE('stateTerm', () => {
    this.OPTION(() => this.CONSUME(T.Every));
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.stateChain);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.logicalState) },
    ]);
    this.OPTION2(() => {
      this.CONSUME(T.Within);
      this.SUBRULE(this.timeValue);
    });
  });

  logicalState = this.RULE('logicalState', () => {
    this.SUBRULE(this.stateAtom);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.And) }, { ALT: () => this.CONSUME(T.Or) }]);
      this.SUBRULE2(this.stateAtom);
    });
  });

  stateAtom = this.RULE('stateAtom', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.absentState) },
      { ALT: () => this.SUBRULE(this.streamState) },
    ]);
  });

  /** `not S[filter] [for <time>]` */
  absentState = this.RULE('absentState', () => {
    this.CONSUME(T.Not);
    this.SUBRULE(this.source);
    this.OPTION(() => {
      this.CONSUME(T.For);
      this.SUBRULE(this.timeValue);
    });
  });

  /** `[e1=] S[filter] [<n:m> | + | * | ?]` */
  streamState = this.RULE('streamState', () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier, { LABEL: 'ref' });
      this.CONSUME(T.Assign);
    });
    this.SUBRULE(this.source);
    this.OPTION2(() => this.SUBRULE(this.stateCount));
  });

  stateCount = this.RULE('stateCount', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Less);
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(T.IntLiteral, { LABEL: 'min' });
                this.OPTION(() => {
                  this.CONSUME(T.Colon);
                  this.OPTION2(() => this.CONSUME2(T.IntLiteral, { LABEL: 'max' }));
                });
              },
            },
            {
              ALT: () => {
                this.CONSUME2(T.Colon);
                this.CONSUME3(T.IntLiteral, { LABEL: 'max' });
              },
            },
          ]);
          this.CONSUME(T.Greater);
        },
      },
      { ALT: () => this.CONSUME(T.Plus) },
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.CONSUME(T.Question) },
    ]);
  });

  // ---- selector, output rate, output action -----------------------------------

  selector = this.RULE('selector', () => {
    this.CONSUME(T.Select);
    this.OR([
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.outputAttribute) }) },
    ]);
    this.OPTION(() => {
      this.CONSUME(T.Group);
      this.CONSUME(T.By);
      this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.variable) });
    });
    this.OPTION2(() => {
      this.CONSUME(T.Having);
      this.SUBRULE(this.expression, { LABEL: 'having' });
    });
    this.OPTION3(() => {
      this.CONSUME(T.Order);
      this.CONSUME2(T.By);
      this.AT_LEAST_ONE_SEP3({ SEP: T.Comma, DEF: () => this.SUBRULE(this.orderByItem) });
    });
    this.OPTION4(() => {
      this.CONSUME(T.Limit);
      this.SUBRULE2(this.expression, { LABEL: 'limit' });
    });
    this.OPTION5(() => {
      this.CONSUME(T.Offset);
      this.SUBRULE3(this.expression, { LABEL: 'offset' });
    });
  });

  outputAttribute = this.RULE('outputAttribute', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.Identifier, { LABEL: 'name' });
    });
  });

  orderByItem = this.RULE('orderByItem', () => {
    this.SUBRULE(this.variable);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }]);
    });
  });

  outputRate = this.RULE('outputRate', () => {
    this.CONSUME(T.Output);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Snapshot);
          this.CONSUME(T.Every);
          this.SUBRULE(this.timeValue);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => {
            this.OR2([
              { ALT: () => this.CONSUME(T.All) },
              { ALT: () => this.CONSUME(T.First) },
              { ALT: () => this.CONSUME(T.Last) },
            ]);
          });
          this.CONSUME2(T.Every);
          this.OR3([
            {
              ALT: () => {
                this.CONSUME(T.IntLiteral);
                this.CONSUME(T.Events);
              },
            },
            { ALT: () => this.SUBRULE2(this.timeValue) },
          ]);
        },
      },
    ]);
  });

  outputAction = this.RULE('outputAction', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.insertInto) },
      { ALT: () => this.SUBRULE(this.deleteFrom) },
      { ALT: () => this.SUBRULE(this.updateOrInsert) },
      { ALT: () => this.SUBRULE(this.updateTable) },
      { ALT: () => this.SUBRULE(this.returnOutput) },
    ]);
  });

  insertInto = this.RULE('insertInto', () => {
    this.CONSUME(T.Insert);
    this.OPTION(() => this.SUBRULE(this.eventType));
    this.CONSUME(T.Into);
    this.OPTION2(() => this.CONSUME(T.Hash));
    this.CONSUME(T.Identifier, { LABEL: 'name' });
  });

  deleteFrom = this.RULE('deleteFrom', () => {
    this.CONSUME(T.Delete);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => this.SUBRULE(this.forEvents));
    this.CONSUME(T.On);
    this.SUBRULE(this.expression);
  });

  updateOrInsert = this.RULE('updateOrInsert', () => {
    this.CONSUME(T.Update);
    this.CONSUME(T.Or);
    this.CONSUME(T.Insert);
    this.CONSUME(T.Into);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => this.SUBRULE(this.forEvents));
    this.OPTION2(() => this.SUBRULE(this.setClause));
    this.CONSUME(T.On);
    this.SUBRULE(this.expression);
  });

  updateTable = this.RULE('updateTable', () => {
    this.CONSUME(T.Update);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => this.SUBRULE(this.forEvents));
    this.OPTION2(() => this.SUBRULE(this.setClause));
    this.CONSUME(T.On);
    this.SUBRULE(this.expression);
  });

  returnOutput = this.RULE('returnOutput', () => {
    this.CONSUME(T.Return);
    this.OPTION(() => this.SUBRULE(this.eventType));
  });

  forEvents = this.RULE('forEvents', () => {
    this.CONSUME(T.For);
    this.SUBRULE(this.eventType);
  });

  // `events` alone means current events, as the reference grammar (CURRENT? EVENTS).
  eventType = this.RULE('eventType', () => {
    this.OPTION(() => this.OR([
      { ALT: () => this.CONSUME(T.All) },
      { ALT: () => this.CONSUME(T.Current) },
      { ALT: () => this.CONSUME(T.Expired) },
    ]));
    this.CONSUME(T.Events);
  });

  setClause = this.RULE('setClause', () => {
    this.CONSUME(T.SetKeyword);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.setAssignment) });
  });

  setAssignment = this.RULE('setAssignment', () => {
    this.SUBRULE(this.variable);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expression);
  });

  // ---- expressions ------------------------------------------------------------
  // Flat on purpose: operands and operators in source order. The visitor applies
  // precedence (low → high): or, and, in, == !=, < <= > >=, + -, * / %, unary - and not, is null.

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.operand, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.BinaryOperator, { LABEL: 'operators' });
      this.SUBRULE2(this.operand, { LABEL: 'operands' });
    });
  });

  /** Prefix `not` / `-`, a primary, then postfix `is null` / `in Table`. */
  operand = this.RULE('operand', () => {
    this.MANY(() => this.CONSUME(T.PrefixOperator, { LABEL: 'prefixes' }));
    this.SUBRULE(this.primary);
    this.MANY2(() => this.SUBRULE(this.postfix, { LABEL: 'postfixes' }));
  });

  postfix = this.RULE('postfix', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Is);
          this.CONSUME(T.Null);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.In);
          this.CONSUME(T.Identifier, { LABEL: 'table' });
        },
      },
    ]);
  });

  primary = this.RULE('primary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.timeValue) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.SUBRULE(this.functionCall) },
      { ALT: () => this.SUBRULE(this.variable) },
    ]);
  });

  /** `5 sec`, `1 min 30 sec`, `500 milliseconds` */
  timeValue = this.RULE('timeValue', () => {
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.NumberLiteral);
      this.CONSUME(T.TimeUnit);
    });
  });

  /** `f(args)`, `ns:f(args)`, `f()`, `f(*)`; also a window or stream function invocation. */
  functionCall = this.RULE('functionCall', () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier, { LABEL: 'namespace' });
      this.CONSUME(T.Colon);
    });
    this.CONSUME2(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.LParen);
    this.OPTION2(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) }) },
      ]);
    });
    this.CONSUME(T.RParen);
  });

  /** `price`, `S.price`, `#S.price`, `e1[0].price`, `e2[last-1].price`, `e1` */
  variable = this.RULE('variable', () => {
    this.OPTION(() => this.CONSUME(T.Hash));
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION2(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.eventIndex);
      this.CONSUME(T.RBracket);
    });
    this.OPTION3(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Identifier, { LABEL: 'attribute' });
    });
  });

  eventIndex = this.RULE('eventIndex', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.IntLiteral) },
      {
        ALT: () => {
          this.CONSUME(T.Last);
          this.OPTION(() => {
            this.CONSUME(T.Minus);
            this.CONSUME2(T.IntLiteral);
          });
        },
      },
    ]);
  });

  // ---- gates ------------------------------------------------------------------

  /**
   * A query input is a pattern or sequence when it starts like one (`every`,
   * `not`, `(`, `e1=`), or when its first source is followed by a state
   * operator (`->`, `,`, `and`, `or`, a count). Scans tokens; builds nothing.
   */
  private startsStateInput(): boolean {
    const first = this.LA(1);
    if (tokenMatcher(first, T.Every) || tokenMatcher(first, T.Not) || tokenMatcher(first, T.LParen)) return true;
    if (tokenMatcher(first, T.Identifier) && tokenMatcher(this.LA(2), T.Assign)) return true;
    let i = tokenMatcher(first, T.Hash) ? 2 : 1;
    if (!tokenMatcher(this.LA(i), T.Identifier)) return false;
    i++;
    while (tokenMatcher(this.LA(i), T.LBracket) || tokenMatcher(this.LA(i), T.Hash)) {
      i = this.skipHandler(i);
      if (i < 0) return false;
    }
    const next = this.LA(i);
    return STATE_OPERATORS.some((op) => tokenMatcher(next, op));
  }

  /** The look-ahead index after the stream handler starting at `i`, or -1. */
  private skipHandler(i: number): number {
    let depth = 0;
    for (let j = i; ; j++) {
      const token = this.LA(j);
      if (token.tokenType === EOF) return -1;
      if (tokenMatcher(token, T.LBracket) || tokenMatcher(token, T.LParen)) depth++;
      else if (tokenMatcher(token, T.RBracket) || tokenMatcher(token, T.RParen)) {
        depth--;
        if (depth === 0) return j + 1;
        if (depth < 0) return -1;
      } else if (depth === 0 && j - i > 5) return -1;
    }
  }
}

const STATE_OPERATORS = [T.Arrow, T.Comma, T.And, T.Or, T.Less, T.Plus, T.Star, T.Question];

/** Raw parser errors (several per problem, after recovery) before parsing stops. */
const MAX_RAW_ERRORS = 100;

/** Thrown out of the parser when it has recorded MAX_RAW_ERRORS errors. */
export class TooManySyntaxErrors extends Error {}
