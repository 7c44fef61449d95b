// JSON as the json: extension reads it (json-smart's lenient mode): single- or
// double-quoted strings, unquoted keys, plus standard JSON. Serialises as Gson does.

/** Parses lenient JSON; throws SyntaxError with the position when it is not JSON. */
export function parseLenientJson(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i} of ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`);
  };
  const space = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const string = (quote: string): string => {
    let out = '';
    i++;
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\') {
        const c = text[++i];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\', '"': '"', "'": "'" };
        if (c === 'u') {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 5), 16));
          i += 5;
          continue;
        }
        out += simple[c!] ?? c;
        i++;
      } else out += text[i++];
    }
    if (text[i] !== quote) fail('unterminated string');
    i++;
    return out;
  };
  const word = (): string => {
    const start = i;
    while (i < text.length && /[^\s,:{}[\]'"]/.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  const value = (): unknown => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      space();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        space();
        const key = text[i] === '"' || text[i] === "'" ? string(text[i]!) : word();
        if (key === '') fail('expected a key');
        space();
        if (text[i++] !== ':') fail("expected ':'");
        obj[key] = value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      space();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return arr;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"' || c === "'") return string(c);
    const w = word();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    if (w !== '' && /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(w)) return Number(w);
    if (w !== '') return w;
    return fail('unexpected character');
  };
  const v = value();
  space();
  if (i < text.length) fail('unexpected trailing text');
  return v;
}

/** Gson-style serialisation: compact, nulls kept. */
export function toJsonString(v: unknown): string {
  if (v instanceof Map) return toJsonString(Object.fromEntries(v));
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? Object.fromEntries(x) : x instanceof Set ? [...x] : x)) ?? 'null';
}
