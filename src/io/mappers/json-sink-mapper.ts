// @map(type='json') for sinks: {"event":{…}} per event, a JSON array when a
// chunk holds several (the reference's default), or a @payload template.

import type { Event } from '../../runtime/junction.js';
import type { MapperContext, SinkMapperKind } from '../contract.js';
import { jsonValue } from '../../runtime/values.js';
import { compileTemplate } from './template.js';
import { jsonNumberOf } from './value-text.js';

export const jsonSinkMapper: SinkMapperKind = {
  create(ctx) {
    if (ctx.payloadTemplate !== undefined) {
      const render = compileTemplate(ctx.payloadTemplate, ctx.attributes);
      return (events) => events.map(render);
    }
    const enclosing = ctx.options.get('enclosing.element');
    const toObject = objectOf(ctx);
    // The replacer (Maps of map: as objects) only where an object attribute may hold one: it slows stringify.
    const replacer = ctx.attributes.some((a) => a.type === 'object') ? jsonValue : undefined;
    return (events) => {
      if (enclosing !== undefined) return [JSON.stringify(enclose(enclosing, events.map(toObject)), replacer)];
      return [JSON.stringify(events.length === 1 ? toObject(events[0]!) : events.map(toObject), replacer)];
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

/** enclosing.element='$.portfolio' → {"portfolio":[…]} */
function enclose(path: string, items: unknown[]): unknown {
  const keys = path.replace(/^\$\.?/, '').split('.').filter((k) => k !== '');
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), items);
}
