// Request and response pieces of the http sinks: the publisher.url check, the
// reference's headers="'Content-Type:application/json','X-Key:v'" form, the
// Content-Type it picks from the @map type when none is given, and the body for it.

import { validateHeaderName, validateHeaderValue } from 'node:http';
import { jsonValue } from '../../runtime/values.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json',
  xml: 'application/xml',
  text: 'text/plain',
  keyvalue: 'application/x-www-form-urlencoded',
};

/** Header names lower-cased; a malformed entry is skipped, a name or value HTTP refuses throws (before any request is answered). */
export function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/'([^':]+):([^']*)'/g)) {
    const name = m[1]!.trim().toLowerCase();
    const value = m[2]!.trim();
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      throw new Error(`headers: '${name}: ${value}' is not a valid HTTP header`);
    }
    out[name] = value;
  }
  return out;
}

/** `headers` with a content-type: the given one, else the @map type's (text/plain for others). */
export function withContentType(headers: Record<string, string>, mapper: string): Record<string, string> {
  headers['content-type'] ??= CONTENT_TYPES[mapper.toLowerCase()] ?? 'text/plain';
  return headers;
}

/** A payload as a body: text as it is, an object as form text under a form Content-Type (keyvalue), else JSON. */
export function bodyOf(payload: unknown, headers: Readonly<Record<string, string>>): string {
  if (typeof payload === 'string') return payload;
  if (headers['content-type']?.startsWith('application/x-www-form-urlencoded') && typeof payload === 'object' && payload !== null) {
    return new URLSearchParams(Object.entries(payload).map(([k, v]): [string, string] => [k, v === null || v === undefined ? '' : String(v)])).toString();
  }
  return JSON.stringify(payload, jsonValue);
}

/** publisher.url as a URL; only http:// (no TLS options here). */
export function checkUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`publisher.url '${text}' is not a URL`);
  }
  if (url.protocol !== 'http:') throw new Error(`publisher.url '${url.href}': only http:// is supported`);
  return url;
}
