// Chevrotain's grammar analysis computes the LL(k) lookahead paths of every
// OR/OPTION/MANY… at parser construction (~0.5–2 s). This strategy reads them
// from lookahead.generated.ts (written by `npm run grammar`) and builds the
// lookahead functions from them; grammar.ts uses it unless validating. The
// table also holds the follow sets error recovery resyncs on. Production
// trusts the table (fingerprinting the grammar cost ~10% of a cold start):
// test/parser/grammar-validation.test.ts checks it belongs to this grammar.

import type { ILookaheadStrategy, IOrAlt, IToken, Rule, TokenType } from 'chevrotain';
import { EOF, getLookaheadPaths, serializeGrammar, tokenMatcher } from './chevrotain.js';

/** Lookahead paths by production, with tokens as indexes into `tokens`. */
export interface LookaheadTable {
  /** Of the serialized grammar the paths were computed from; another grammar ignores the table. */
  readonly fingerprint: string;
  readonly tokens: readonly string[];
  /** `rule/prodType/occurrence/k` → alternatives → paths → token indexes. */
  readonly paths: Readonly<Record<string, readonly (readonly (readonly number[])[])[]>>;
  /** Chevrotain's resync follow sets (`rule occurrence _~IN~_ rule` → token indexes), for error recovery. */
  readonly follows: Readonly<Record<string, readonly number[]>>;
}

type Paths = TokenType[][][];

/** The parser's `this` as a lookahead function sees it. */
interface Lookahead {
  LA(howMuch: number): IToken;
}

export class TableLookahead implements ILookaheadStrategy {
  private byName = new Map<string, TokenType>();
  /** The table's tokens as types, by index. */
  private readonly types: readonly TokenType[];
  /** Every production's paths as used, for writing a new table (see `toTable`). */
  private readonly used = new Map<string, Paths>();

  constructor(private readonly table: LookaheadTable | undefined, tokens: readonly TokenType[]) {
    const add = (t: TokenType): void => {
      if (this.byName.has(t.name)) return;
      this.byName.set(t.name, t);
      for (const c of (t as TokenType & { CATEGORIES?: TokenType[] }).CATEGORIES ?? []) add(c);
    };
    [...tokens, EOF].forEach(add);
    this.types = (table?.tokens ?? []).map((name) => this.byName.get(name)!);
  }

  validate(): [] {
    return [];
  }

  /** The table's follow sets as Chevrotain keeps them (its `resyncFollows`); undefined without a table. */
  follows(): Record<string, TokenType[]> | undefined {
    if (this.table?.follows === undefined) return undefined;
    const out: Record<string, TokenType[]> = {};
    for (const [key, indexes] of Object.entries(this.table.follows)) out[key] = indexes.map((i) => this.types[i]!);
    return out;
  }

  buildLookaheadForAlternation(options: { prodOccurrence: number; rule: Rule; maxLookahead: number; hasPredicates: boolean }): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    const alts = this.paths(options.rule, 'Alternation', options.prodOccurrence, options.maxLookahead);
    return options.hasPredicates ? chooseWithGates(alts) : choose(alts);
  }

  buildLookaheadForOptional(options: { prodOccurrence: number; prodType: string; rule: Rule; maxLookahead: number }): () => boolean {
    // Paths 0 enter the production, paths 1 follow it.
    const inside = this.paths(options.rule, options.prodType, options.prodOccurrence, options.maxLookahead)[0]!;
    return function (this: Lookahead): boolean {
      return matchAny(this, inside);
    };
  }

  /** The table for the grammar as analysed by this instance, with Chevrotain's follow sets `follows`. */
  toTable(rules: readonly Rule[], follows: Readonly<Record<string, readonly TokenType[]>>): LookaheadTable {
    const tokens: string[] = [];
    const index = new Map<string, number>();
    const id = (t: TokenType): number => {
      let i = index.get(t.name);
      if (i === undefined) index.set(t.name, (i = tokens.push(t.name) - 1));
      return i;
    };
    const paths: Record<string, number[][][]> = {};
    for (const [key, alts] of this.used) paths[key] = alts.map((alt) => alt.map((path) => path.map(id)));
    const followIds: Record<string, number[]> = {};
    for (const key of Object.keys(follows).sort()) followIds[key] = follows[key]!.map(id);
    return { fingerprint: fingerprintGrammar(rules), tokens, paths, follows: followIds };
  }

  private paths(rule: Rule, prodType: string, occurrence: number, k: number): Paths {
    const key = `${rule.name}/${prodType}/${occurrence}/${k}`;
    const stored = this.table?.paths[key];
    const paths = stored !== undefined
      ? stored.map((alt) => alt.map((path) => path.map((i) => this.types[i]!)))
      : getLookaheadPaths({ occurrence, rule, prodType: prodType as 'Alternation', maxLookahead: k });
    this.used.set(key, paths);
    return paths;
  }
}

/** A cheap identity of the grammar: FNV-1a over its serialized form. */
export function fingerprintGrammar(rules: readonly Rule[]): string {
  const text = JSON.stringify(serializeGrammar([...rules]));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}:${(h >>> 0).toString(16)}`;
}

function matchAny(p: Lookahead, alt: readonly TokenType[][]): boolean {
  next: for (const path of alt) {
    for (let i = 0; i < path.length; i++) if (!tokenMatcher(p.LA(i + 1), path[i]!)) continue next;
    return true;
  }
  return false;
}

function choose(alts: Paths): () => number | undefined {
  return function (this: Lookahead): number | undefined {
    for (let t = 0; t < alts.length; t++) if (matchAny(this, alts[t]!)) return t;
    return undefined;
  };
}

function chooseWithGates(alts: Paths): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
  return function (this: Lookahead, orAlts?: IOrAlt<unknown>[]): number | undefined {
    for (let t = 0; t < alts.length; t++) {
      const gate = (orAlts?.[t] as { GATE?: () => boolean } | undefined)?.GATE;
      if (gate !== undefined && gate.call(this) === false) continue;
      if (matchAny(this, alts[t]!)) return t;
    }
    return undefined;
  };
}
