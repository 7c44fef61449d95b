// @sink(type='http-call', publisher.url='http://…/{{name}}', sink.id='s', method='POST'):
// one request per event (url and headers may name its attributes); the
// response goes to the http-call-response source of the same sink.id that
// takes its status. A network error or a timeout is a failed publish (on.error).

import { Agent, request } from 'node:http';
import type { Event } from '../../runtime/junction.js';
import type { SinkKind } from '../contract.js';
import type { CallResponse, HttpCallResponses } from '../http-call-responses.js';
import { compileTemplate } from '../mappers/template.js';
import { bodyOf, checkUrl, parseHeaders, withContentType } from './http-headers.js';

export function httpCallSink(responses: HttpCallResponses): SinkKind {
  return {
    defaultMapper: 'json',
    perEvent: true,
    create(ctx) {
      const sinkId = ctx.options.required('sink.id');
      const urlText = ctx.options.required('publisher.url');
      const urlOf = compileTemplate(urlText, ctx.attributes, ctx.nullText);
      // A url or headers naming no attribute are checked and built once, not per event.
      const fixedUrl = urlText.includes('{{') ? undefined : checkUrl(urlText);
      const method = ctx.options.get('method', 'POST').toUpperCase();
      const headersText = ctx.options.get('headers', '');
      const headersOf = compileTemplate(headersText, ctx.attributes, ctx.nullText);
      const fixedHeaders = headersText.includes('{{') ? undefined : withContentType(parseHeaders(headersText), ctx.mapper);
      const timeout = ctx.options.number('socket.idle.timeout', 6000);
      const auth = basicAuth(ctx.options.get('basic.auth.username'), ctx.options.get('basic.auth.password'));
      const blocking = ctx.options.bool('blocking.io', false);
      if (ctx.options.bool('downloading.enabled', false)) throw new Error(`downloading.enabled='true' is not supported`);
      const names = ctx.attributes.map((a) => a.name);
      const agent = new Agent({ keepAlive: true, maxSockets: ctx.options.number('max.connections', 8) });
      const call = async (payload: unknown, event: Event): Promise<void> => {
        // A copy of the fixed headers: authorization is added to them.
        const headers = fixedHeaders !== undefined ? { ...fixedHeaders } : withContentType(parseHeaders(headersOf(event)), ctx.mapper);
        if (auth) headers['authorization'] = auth;
        const url = fixedUrl ?? checkUrl(urlOf(event));
        const body = method === 'GET' || method === 'HEAD' ? '' : bodyOf(payload, headers);
        const answer = await send(url, { method, headers, agent, timeout }, body);
        const response: CallResponse = {
          status: answer.status,
          body: answer.body,
          property: (name) => {
            const at = names.indexOf(name);
            if (at >= 0) return event.data[at];
            if (name === 'http.status.code') return answer.status;
            const h = answer.headers[name.toLowerCase()];
            return Array.isArray(h) ? h.join(',') : h;
          },
        };
        try {
          responses.dispatch(sinkId, response);
        } catch (e) {
          // The call itself went through: a response no source takes is reported, not retried.
          ctx.report(e);
        }
      };
      let last: Promise<void> = Promise.resolve();
      return {
        stop: () => agent.destroy(),
        publish: (payload, events) => {
          if (!blocking) return call(payload, events[0]!);
          // blocking.io: the next request waits for this one's response.
          const next = last.then(() => call(payload, events[0]!));
          last = next.catch(() => undefined);
          return next;
        },
      };
    },
  };
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function send(url: URL, options: { method: string; headers: Record<string, string>; agent: Agent; timeout: number }, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${options.method} ${url.href} timed out after ${options.timeout} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function basicAuth(user: string | undefined, password: string | undefined): string | undefined {
  if (user === undefined && password === undefined) return undefined;
  if (user === undefined || password === undefined) throw new Error('basic.auth.username and basic.auth.password go together');
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
