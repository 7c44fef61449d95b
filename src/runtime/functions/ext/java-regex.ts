// java.util.regex semantics on JavaScript RegExp, for str: and regex: functions.
// Leading inline flags (?i) (?s) (?m) (?x is refused) become RegExp flags; constructs
// JavaScript lacks (possessive quantifiers, atomic groups, \A \Z \z) are translated or refused.

export type Anchor = 'find' | 'matches' | 'lookingAt';

const cache = new Map<string, RegExp>();

/** Compiles a Java pattern; throws SyntaxError with the reason when JavaScript cannot express it. */
export function compileJavaRegex(pattern: string, anchor: Anchor = 'find', global = false): RegExp {
  const key = `${anchor}${global ? 'g' : ''}:${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let body = pattern;
  let flags = global ? 'g' : '';
  const inline = /^\(\?([imsux]+)\)/.exec(body);
  if (inline) {
    for (const f of inline[1]!) {
      if (f === 'x' || f === 'u') throw new SyntaxError(`inline flag (?${f}) is not supported`);
      if (!flags.includes(f)) flags += f;
    }
    body = body.slice(inline[0].length);
  }
  if (/\(\?>|[*+?}]\+/.test(body)) throw new SyntaxError('atomic groups and possessive quantifiers are not supported');
  body = body.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  if (anchor === 'matches') body = `^(?:${body})$`;
  else if (anchor === 'lookingAt') body = `^(?:${body})`;
  const re = new RegExp(body, flags);
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

/** Java's String.split(regex): no leading empty string from a zero-width match; trailing empty strings removed. */
export function javaSplit(source: string, regex: string): string[] {
  if (source === '') return [''];
  const re = compileJavaRegex(regex, 'find', true);
  const out: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    if (m[0] === '') {
      if (m.index >= source.length) break;
      re.lastIndex++;
      if (m.index === 0) continue;
    }
    out.push(source.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(source.slice(last));
  while (out.length > 1 && out[out.length - 1] === '') out.pop();
  if (out.length === 1 && out[0] === '' && source !== '') return [];
  return out;
}

/** Java's replacement syntax ($1, ${name}, \$) in JavaScript's ($1, $<name>, $$). */
export function javaReplacement(replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\' && i + 1 < replacement.length) {
      const next = replacement[++i]!;
      out += next === '$' ? '$$' : next;
    } else if (c === '$' && replacement[i + 1] === '{') {
      const end = replacement.indexOf('}', i);
      out += `$<${replacement.slice(i + 2, end)}>`;
      i = end;
    } else out += c;
  }
  return out;
}
