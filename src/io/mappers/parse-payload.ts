// Payloads arrive as text (http bodies, file lines, redis fields) or as
// values (inMemory); text mappers and the JSON mapper read them through here.

export function payloadText(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  throw new Error(`expected text, got ${payload === null ? 'null' : typeof payload}`);
}

export function parseJsonPayload(payload: unknown): unknown {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) return payload;
  const text = payloadText(payload);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message}): ${clip(text)}`);
  }
}

/** A payload shortened for an error message. */
export function clip(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
