// validate.json='true': whether Gson's fromJson(text, Object.class) reads the
// text, as the reference's isValidJson asks. That reader is lenient: bare words
// (WSO2, NaN, undefined, 01), single-quoted strings and names, unquoted names,
// '=' or '=>' for ':', ';' for ',', an empty array element read as null ([1,]),
// comments (// # /* */), raw control characters in strings, and an empty text
// are all accepted. It refuses a broken structure ({"a":}, {"a":1, {"s":a b}),
// an unterminated string and text after the first value ({"a":1} x, {"a":1}{"b":2}),
// unless that first value is null (Gson checks full consumption only then).

/** Gson's JsonReader.isLiteral: a character an unquoted word may hold. */
function isLiteral(c: string): boolean {
  switch (c) {
    case '/': case '\\': case ';': case '#': case '=':
    case '{': case '}': case '[': case ']': case ':': case ',':
    case ' ': case '\t': case '\f': case '\r': case '\n':
      return false;
    default:
      return true;
  }
}

class Malformed extends Error {}

export function gsonLenientValid(text: string): boolean {
  let pos = 0;
  const n = text.length;

  /** The next character after whitespace and comments, consumed; '' at the end. */
  const next = (): string => {
    while (pos < n) {
      const c = text[pos++]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
      if (c === '/' && pos < n) {
        if (text[pos] === '*') {
          const end = text.indexOf('*/', pos + 1);
          if (end < 0) throw new Malformed('Unterminated comment');
          pos = end + 2;
          continue;
        }
        if (text[pos] === '/') {
          skipLine();
          continue;
        }
        return c;
      }
      if (c === '#') {
        skipLine();
        continue;
      }
      return c;
    }
    return '';
  };
  const skipLine = (): void => {
    while (pos < n) {
      const c = text[pos++];
      if (c === '\n' || c === '\r') break;
    }
  };
  const quoted = (q: string): void => {
    while (pos < n) {
      const c = text[pos++];
      if (c === q) return;
      if (c === '\\') {
        if (pos >= n) break;
        if (text[pos++] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos, pos + 4))) throw new Malformed('Malformed Unicode escape');
          pos += 4;
        } // Gson 2.8.0 (the reference's) reads any other escaped character as itself

      }
    }
    throw new Malformed('Unterminated string');
  };
  const word = (): void => {
    while (pos < n && isLiteral(text[pos]!)) pos++;
  };
  /** One value whose first character c is consumed; inArray: an empty element reads as null. Returns whether it was a null. */
  const value = (c: string, inArray: boolean): boolean => {
    switch (c) {
      case '': throw new Malformed('End of input');
      case '{': object(); return false;
      case '[': array(); return false;
      case '"': case "'": quoted(c); return false;
      case ']': case ';': case ',':
        if (!inArray) throw new Malformed('Unexpected value');
        pos--;
        return true;
      default:
        if (!isLiteral(c)) throw new Malformed('Expected value');
        const from = pos - 1;
        word();
        return text.slice(from, pos).toLowerCase() === 'null'; // Gson's keywords match any case
    }
  };
  const array = (): void => {
    let c = next();
    if (c === ']') return;
    for (;;) {
      value(c, true);
      c = next();
      if (c === ']') return;
      if (c !== ',' && c !== ';') throw new Malformed('Unterminated array');
      c = next();
    }
  };
  const object = (): void => {
    let c = next();
    if (c === '}') return;
    for (;;) {
      if (c === '"' || c === "'") quoted(c);
      else if (c !== '' && isLiteral(c)) word();
      else throw new Malformed('Expected name');
      c = next();
      if (c === '=') {
        if (text[pos] === '>') pos++;
      } else if (c !== ':') throw new Malformed("Expected ':'");
      value(next(), false);
      c = next();
      if (c === '}') return;
      if (c !== ',' && c !== ';') throw new Malformed('Unterminated object');
      c = next();
    }
  };

  try {
    let first = next();
    if (first === ')' && text.startsWith("]}'\n", pos)) {
      pos += 4; // the non-execute prefix a lenient reader skips
      first = next();
    }
    if (first === '') return true; // an empty document: fromJson gives null
    const wasNull = value(first, false);
    return wasNull || next() === '';
  } catch (e) {
    if (e instanceof Malformed) return false;
    throw e;
  }
}
