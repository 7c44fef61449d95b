// @sink(type='http-service-response', source.id='adder', message.id='{{messageId}}'):
// each event's payload answers, with 200, the request its message id names at
// the http-service source of that source.id. A message id with no open
// request (answered, timed out, unknown) is a failed publish (on.error).

import type { SinkKind } from '../contract.js';
import type { HttpServiceRequests } from '../http-service-requests.js';
import { compileTemplate } from '../mappers/template.js';
import { bodyOf, parseHeaders, withContentType } from './http-headers.js';

export function httpServiceResponseSink(requests: HttpServiceRequests): SinkKind {
  return {
    defaultMapper: 'json',
    perEvent: true,
    create(ctx) {
      const sourceId = ctx.options.required('source.id');
      const messageIdOf = compileTemplate(ctx.options.required('message.id'), ctx.attributes, ctx.nullText);
      const headers = withContentType(parseHeaders(ctx.options.get('headers', '')), ctx.mapper);
      return {
        publish: (payload, events) => {
          requests.respond(sourceId, messageIdOf(events[0]!), { body: bodyOf(payload, headers), headers });
        },
      };
    },
  };
}
