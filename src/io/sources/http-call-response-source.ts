// @source(type='http-call-response', sink.id='s', http.status.code='2\\d+'):
// maps the bodies of the responses the http-call sink with that sink.id
// received, when their status matches; `trp:<attribute>` reads the request
// event's attribute, `trp:<header>` a response header. An empty body is dropped.

import type { SourceKind } from '../contract.js';
import { statusPattern, type HttpCallResponses } from '../http-call-responses.js';

export function httpCallResponseSource(responses: HttpCallResponses): SourceKind {
  return {
    defaultMapper: 'json',
    create(ctx) {
      const sinkId = ctx.options.required('sink.id');
      const code = ctx.options.get('http.status.code', '200');
      const pattern = statusPattern(code);
      if (ctx.options.bool('allow.streaming.responses', false)) throw new Error(`allow.streaming.responses='true' is not supported`);
      let stop: (() => void) | undefined;
      return {
        start: () => {
          stop = responses.listen(sinkId, code, pattern, ctx.streamName, (response) => {
            if (response.body !== '') ctx.deliver(response.body, response.property);
          });
        },
        stop: () => {
          stop?.();
          stop = undefined;
        },
      };
    },
  };
}
