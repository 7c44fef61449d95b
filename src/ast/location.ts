// Source positions carried by every AST node so that planner errors can point
// at the text (1-based line and column, as editors show them).

export interface Location {
  readonly line: number;
  readonly column: number;
  /** Offset of the first character in the app text (0-based). */
  readonly offset: number;
}

export const NO_LOCATION: Location = { line: 0, column: 0, offset: 0 };
