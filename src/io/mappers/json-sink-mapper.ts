// @map(type='json') for sinks: {"event":{…}} per event, a JSON array when a
// chunk holds several (the reference's default) or is a group of a chunk split
// by the sink's topic (an array even of one, as the reference maps an Event[]),
// or a @payload template; either inside enclosing.element ('$.portfolio' → {"portfolio":…}).
// event.grouping.enabled='false' publishes each event on its own; validate.json='true'
// refuses a payload Gson's lenient reader does not read (gson-lenient.ts). Numbers
// are written as Gson writes the Java values (a double 25 as 25.0, a float as
// Float.toString), a null as "undefined" unless enable.null.attribute.value='true'
// (then null), as the reference does.

import type { Event } from '../../runtime/junction.js';
import type { MapperContext, SinkMapperKind } from '../contract.js';
import type { AttributeType } from '../../ast/index.js';
import { formatDouble, formatFloat } from '../../runtime/values.js';
import { toJsonString } from '../../runtime/functions/ext/gson-text.js';
import { gsonLenientValid } from './gson-lenient.js';
import { compileTemplate } from './template.js';
import { refuseObjectPayload } from './value-text.js';

export const jsonSinkMapper: SinkMapperKind = {
  create(ctx) {
    // enclosing.element='$.portfolio' wraps the payload (text, object or array) as {"portfolio":…}.
    const enclosing = ctx.options.get('enclosing.element');
    const wrap = enclosing === undefined ? (t: string) => t : wrapperOf(enclosing);
    const grouping = ctx.options.bool('event.grouping.enabled', true);
    const validate = ctx.options.bool('validate.json', false);
    const nulls = ctx.options.bool('enable.null.attribute.value', false);
    const one = oneEventOf(ctx, nulls);
    // As the reference: a chunk of several is one payload, its texts in a JSON array, objects compact.
    const joiner = ctx.payloadTemplate !== undefined ? ',\n' : ',';
    const body = (events: readonly Event[], group: boolean | undefined): string =>
      wrap(events.length === 1 && group !== true ? one(events[0]!) : `[${events.map(one).join(joiner)}]`);
    const map = grouping ? (events: readonly Event[], group?: boolean) => [body(events, group)] : (events: readonly Event[]) => events.map((e) => body([e], false));
    if (!validate) return map;
    // As the reference: a payload that is not JSON is reported and dropped, alone (the others of the chunk are published).
    const report = ctx.report ?? ((e: unknown) => { throw e; });
    return (events, group) => map(events, group).filter((text) => {
      if (gsonLenientValid(text)) return true;
      report(new Error(`invalid JSON (validate.json='true'), dropped: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`));
      return false;
    });
  },
};

function oneEventOf(ctx: MapperContext, nulls: boolean): (e: Event) => string {
  if (ctx.payloadTemplate === undefined) return eventObjectOf(ctx, nulls);
  refuseObjectPayload(ctx.payloadTemplate, ctx.attributes, 'json');
  return compileTemplate(ctx.payloadTemplate, ctx.attributes, nulls ? 'null' : 'undefined');
}

/** {"event":{"symbol":"WSO2","price":55.6}}: Gson's compact text of the reference's JsonObject. */
function eventObjectOf(ctx: MapperContext, nulls: boolean): (e: Event) => string {
  const keys = ctx.attributes.map((a) => `${gsonString(a.name)}:`);
  const writers = ctx.attributes.map((a) => writerOf(a.type, nulls));
  const nullText = nulls ? 'null' : '"undefined"';
  return (e) => {
    let out = '';
    for (let i = 0; i < keys.length; i++) {
      const v = e.data[i];
      const text = v === null || v === undefined ? nullText : writers[i]!(v);
      if (text === undefined) continue;
      out += (out === '' ? '' : ',') + keys[i] + text;
    }
    return `{"event":{${out}}}`;
  };
}

/** A value's JSON text by its attribute type; undefined leaves the attribute out (as the reference does a list or an empty map). */
function writerOf(type: AttributeType, nulls: boolean): (v: unknown) => string | undefined {
  const object = objectJsonOf(nulls);
  switch (type) {
    case 'double': return (v) => (typeof v === 'number' ? formatDouble(v) : object(v));
    case 'float': return (v) => (typeof v === 'number' ? formatFloat(v) : object(v));
    case 'string': return (v) => gsonString(String(v));
    default: return object;
  }
}

/**
 * An int, long, bool or object value as the reference adds it to its JsonObject: strings, numbers and
 * booleans as themselves, a non-empty map as gson.toJsonTree writes it (a fractional number as a Double,
 * null members left out unless enable.null.attribute.value, as that Gson's serializeNulls); anything
 * else (a list, an empty map) left out.
 */
function objectJsonOf(nulls: boolean): (v: unknown) => string | undefined {
  const style = { htmlSafe: false, nulls };
  return (v) => {
    if (typeof v === 'string') return gsonString(v);
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    if (v instanceof Map && v.size > 0) return toJsonString(v, style);
    return undefined;
  };
}

/** A JSON string as Gson's JsonWriter escapes it: JSON.stringify's escapes plus U+2028 and U+2029. */
function gsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

/** enclosing.element='$.portfolio' → text → {"portfolio":text} */
function wrapperOf(path: string): (text: string) => string {
  const keys = path.replace(/^\$\.?/, '').split('.').filter((k) => k !== '');
  const open = keys.map((k) => `{${JSON.stringify(k)}:`).join('');
  const close = '}'.repeat(keys.length);
  return (text) => open + text + close;
}
