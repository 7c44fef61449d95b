// @map(type='json') for sinks: {"event":{…}} per event, a JSON array when a
// chunk holds several (the reference's default) or is a group of a chunk split
// by the sink's topic (an array even of one, as the reference maps an Event[]),
// or a @payload template; either inside enclosing.element ('$.portfolio' → {"portfolio":…}).

import type { Event } from '../../runtime/junction.js';
import type { MapperContext, SinkMapperKind } from '../contract.js';
import { jsonValue } from '../../runtime/values.js';
import { compileTemplate } from './template.js';
import { jsonNumberOf } from './value-text.js';

export const jsonSinkMapper: SinkMapperKind = {
  create(ctx) {
    // enclosing.element='$.portfolio' wraps the payload (text, object or array) as {"portfolio":…}.
    const enclosing = ctx.options.get('enclosing.element');
    const wrap = enclosing === undefined ? (t: string) => t : wrapperOf(enclosing);
    if (ctx.payloadTemplate !== undefined) {
      const render = compileTemplate(ctx.payloadTemplate, ctx.attributes);
      // As the reference: a chunk of several is one payload, its texts in a JSON array.
      return (events, group) => [wrap(events.length === 1 && group !== true ? render(events[0]!) : `[${events.map(render).join(',\n')}]`)];
    }
    const toObject = objectOf(ctx);
    // The replacer (Maps of map: as objects) only where an object attribute may hold one: it slows stringify.
    const replacer = ctx.attributes.some((a) => a.type === 'object') ? jsonValue : undefined;
    return (events, group) => {
      const body = events.length === 1 && group !== true ? toObject(events[0]!) : events.map(toObject);
      return [wrap(JSON.stringify(body, replacer))];
    };
  },
};

function objectOf(ctx: MapperContext): (e: Event) => { event: Record<string, unknown> } {
  const names = ctx.attributes.map((a) => a.name);
  const types = ctx.attributes.map((a) => a.type);
  return (e) => {
    const event: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) event[names[i]!] = jsonNumberOf(e.data[i], types[i]!);
    return { event };
  };
}

/** enclosing.element='$.portfolio' → text → {"portfolio":text} */
function wrapperOf(path: string): (text: string) => string {
  const keys = path.replace(/^\$\.?/, '').split('.').filter((k) => k !== '');
  const open = keys.map((k) => `{${JSON.stringify(k)}:`).join('');
  const close = '}'.repeat(keys.length);
  return (text) => open + text + close;
}

