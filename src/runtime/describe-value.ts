// A short, never-throwing description of any JS value for error messages
// (type + preview): used where user input is refused, so a BigInt, a circular
// object, a throwing toJSON, a Proxy or a 10 MB string still gives one line.

const PREVIEW = 40;

/** E.g. `string "IBM"`, `number NaN`, `bigint 12n`, `object Date`, `string "aaaa…" (10000000 chars)`. */
export function describeValue(value: unknown): string {
  try {
    return describe(value);
  } catch {
    // A Proxy or a hostile getter: the type is all we can safely say.
    return typeof value;
  }
}

function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `string ${quote(value)}`;
    case 'number':
      return `number ${String(value)}`;
    case 'bigint':
      return `bigint ${clip(value.toString())}n`;
    case 'boolean':
      return `boolean ${String(value)}`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return `symbol ${clip(value.description ?? '')}`;
    case 'function':
      return `function ${clip(value.name || '(anonymous)')}`;
    case 'object':
      return describeObject(value);
  }
}

function describeObject(value: object | null): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length}`;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null) return 'object (null prototype)';
  const ctor = (proto as { constructor?: unknown }).constructor;
  const name = typeof ctor === 'function' && ctor.name ? ctor.name : 'Object';
  return `object ${clip(name)}`;
}

function quote(s: string): string {
  const shown = s.length > PREVIEW ? `${s.slice(0, PREVIEW)}…` : s;
  // JSON.stringify of a string never throws; it escapes lone surrogates and control characters.
  const q = JSON.stringify(shown);
  return s.length > PREVIEW ? `${q} (${s.length} chars)` : q;
}

function clip(s: string): string {
  return s.length > PREVIEW ? `${s.slice(0, PREVIEW)}…` : s;
}
