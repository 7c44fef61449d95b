// Request and response headers of the http sinks: the reference's
// headers="'Content-Type:application/json','X-Key:v'" form, and the
// Content-Type it picks from the @map type when none is given.

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json',
  xml: 'application/xml',
  text: 'text/plain',
  keyvalue: 'application/x-www-form-urlencoded',
};

/** Header names lower-cased; a malformed entry is skipped. */
export function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/'([^':]+):([^']*)'/g)) out[m[1]!.trim().toLowerCase()] = m[2]!.trim();
  return out;
}

/** `headers` with a content-type: the given one, else the @map type's (text/plain for others). */
export function withContentType(headers: Record<string, string>, mapper: string): Record<string, string> {
  headers['content-type'] ??= CONTENT_TYPES[mapper.toLowerCase()] ?? 'text/plain';
  return headers;
}
