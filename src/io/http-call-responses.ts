// Where the responses to an http-call sink's requests go: the
// http-call-response sources of the same sink.id, each taking the status
// codes its http.status.code regex matches (the first registered that matches
// wins). One per SiddhiManager (IoRegistry).

import type { TransportProperties } from './contract.js';

/** One response, with `trp:` properties: the request event's attributes, http.status.code, response headers. */
export interface CallResponse {
  readonly status: number;
  readonly body: string;
  readonly property: TransportProperties;
}

interface Listener {
  readonly code: string;
  readonly pattern: RegExp;
  readonly stream: string;
  readonly take: (response: CallResponse) => void;
}

export class HttpCallResponses {
  private readonly bySink = new Map<string, Listener[]>();

  /**
   * Sends the responses of sink `sinkId` whose status matches `pattern` (statusPattern(code)) to `take`;
   * returns the function that stops it. Throws when another source listens to the same sink.id and code.
   */
  listen(sinkId: string, code: string, pattern: RegExp, stream: string, take: (response: CallResponse) => void): () => void {
    const listeners = this.bySink.get(sinkId) ?? [];
    const same = listeners.find((l) => l.code === code);
    if (same) throw new Error(`the http-call-response source of stream '${same.stream}' already takes sink.id '${sinkId}' with http.status.code '${code}'`);
    const listener: Listener = { code, pattern, stream, take };
    listeners.push(listener);
    this.bySink.set(sinkId, listeners);
    return () => {
      const at = listeners.indexOf(listener);
      if (at >= 0) listeners.splice(at, 1);
      if (listeners.length === 0 && this.bySink.get(sinkId) === listeners) this.bySink.delete(sinkId);
    };
  }

  /** Hands `response` to the first source that takes its status; throws when none does. */
  dispatch(sinkId: string, response: CallResponse): void {
    const status = String(response.status);
    const listener = this.bySink.get(sinkId)?.find((l) => l.pattern.test(status));
    if (!listener) {
      const codes = (this.bySink.get(sinkId) ?? []).map((l) => `'${l.code}'`);
      throw new Error(`no http-call-response source with sink.id '${sinkId}' takes status ${status}`
        + (codes.length ? ` (http.status.code ${codes.join(', ')})` : ''));
    }
    listener.take(response);
  }
}

/** `2\d+` → /^(?:2\d+)$/; a doubled backslash (`'2\\d+'` as the reference's docs write it) counts as one. */
export function statusPattern(code: string): RegExp {
  try {
    return new RegExp(`^(?:${code.replace(/\\\\/g, '\\')})$`);
  } catch (e) {
    throw new Error(`http.status.code '${code}' is not a regular expression: ${(e as Error).message}`);
  }
}
