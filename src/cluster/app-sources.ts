// The app's own @source annotations in a cluster: `siddhi route` runs them in
// an app of their own (the input streams with their sources, nothing else) and
// routes what they deliver; the workers run the app with the sources blanked
// out (spaces, so error positions stay right). Both are cut from the app text
// by the parsed annotations' offsets. Used by src/cli/route-command.ts and worker-command.ts.

import type { Annotation, App } from '../ast/index.js';

type StreamDef = Extract<App['elements'][number], { kind: 'stream' }>;

const isSource = (a: Annotation): boolean => a.name.toLowerCase() === 'source';

/** Streams with a @source. */
export function sourcedStreams(app: App): StreamDef[] {
  // A stream defined again exactly alike is one stream with one set of sources.
  const seen = new Set<string>();
  return app.elements.filter((el): el is StreamDef => {
    if (el.kind !== 'stream' || seen.has(el.name)) return false;
    seen.add(el.name);
    return el.annotations.some(isSource);
  });
}

/**
 * The app of the router: the app's annotations (its name) and each sourced
 * stream with its @source and @OnError annotations. Empty string when no stream has a @source.
 */
export function sourceApp(text: string, app: App): string {
  const streams = sourcedStreams(app);
  if (streams.length === 0) return '';
  const parts = app.annotations.map((a) => text.slice(a.loc.offset, annotationEnd(text, a.loc.offset)));
  for (const def of streams) {
    const kept = def.annotations.filter((a) => isSource(a) || a.name.toLowerCase() === 'onerror');
    parts.push(...kept.map((a) => text.slice(a.loc.offset, annotationEnd(text, a.loc.offset))));
    parts.push(`${text.slice(def.loc.offset, closingParen(text, text.indexOf('(', def.loc.offset)) + 1)};`);
  }
  return `${parts.join('\n')}\n`;
}

/** The app text with every @source annotation replaced by blanks (line breaks kept). */
export function withoutSources(text: string, app: App): string {
  let out = text;
  // Every definition's, a stream defined again alike included.
  for (const def of app.elements) {
    if (def.kind !== 'stream') continue;
    for (const a of def.annotations.filter(isSource)) {
      const end = annotationEnd(text, a.loc.offset);
      out = out.slice(0, a.loc.offset) + text.slice(a.loc.offset, end).replace(/[^\n]/g, ' ') + out.slice(end);
    }
  }
  return out;
}

/** Where the annotation starting at `at` ('@') ends: after its closing parenthesis, or its name when it has none. */
function annotationEnd(text: string, at: number): number {
  const name = /^@[\w:.]*\s*/.exec(text.slice(at))!;
  const open = at + name[0].length;
  return text[open] === '(' ? closingParen(text, open) + 1 : at + name[0].trimEnd().length;
}

/** The index of the parenthesis closing the one at `open`, skipping quoted strings ('…', "…", """…""") and comments. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    else if (c === "'" || c === '"') {
      const quote = text.startsWith('"""', i) ? '"""' : c;
      const end = text.indexOf(quote, i + quote.length);
      i = end < 0 ? text.length : end + quote.length - 1;
    } else if (text.startsWith('--', i) || text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    }
  }
  throw new Error(`no ')' closes the '(' at offset ${open}`);
}
