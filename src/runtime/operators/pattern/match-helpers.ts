// The functions a pattern scope's sources call (plan/pattern-scope.ts
// `sources`): a state's filter compiled as one function, and a generated
// step's own projection of its matches (pattern-step.ts), include them.

/** What the sources of a scope with `sources` call: the event a slot reference picks, and its attribute. */
export const MATCH_HELPERS = [
  // A plain slot's event, or a count slot's last.
  'function $at(e, a) { return e === null || e === undefined ? null : e.data[a]; }',
  // A count slot's event `minus` from the end, not counting `hidden` trailing ones.
  'function $back(l, hidden, minus) { if (l === null || l === undefined) return null; var i = l.length - hidden - 1 - minus; return i < 0 ? null : l[i]; }',
  // A count slot's event at `at`.
  'function $nth(l, at, hidden) { return l === null || l === undefined || at >= l.length - hidden ? null : l[at]; }',
].join('\n');
