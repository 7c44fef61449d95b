// @map(type='text') and @map(type='csv'). text: the reference's default
// `name:value` lines joined by ',\n' (strings quoted), regex groups for a
// source with @attributes(a='A[1]') and regex.A='…', or a @payload template
// for sinks. csv: one event per line, `delimiter` (default ',').

import type { AttributeType } from '../../ast/index.js';
import type { Event } from '../../runtime/junction.js';
import { parseAs } from '../../runtime/values.js';
import type { MappedEvent, MapperContext, SinkMapperKind, SourceMapperKind } from '../contract.js';
import { mappingsByAttribute } from './attribute-mappings.js';
import { compileTemplate } from './template.js';
import { clip, payloadText } from './parse-payload.js';
import { refuseObjectPayload, valueText } from './value-text.js';
import type { AttributeSchema } from '../../runtime/schema.js';

export const textSourceMapper: SourceMapperKind = {
  create(ctx) {
    if (ctx.attributeMappings) return regexMapping(ctx);
    const positions = new Map(ctx.attributes.map((a, i) => [a.name, i]));
    return (payload) => {
      const text = payloadText(payload);
      const data: unknown[] = new Array(positions.size).fill(undefined);
      for (const line of text.split(/,\s*\n/)) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon).trim();
        const at = colon < 0 ? undefined : positions.get(key);
        if (at === undefined) throw new Error(`'${clip(line, 40)}' is not 'attribute:value' of stream '${ctx.streamName}'`);
        data[at] = typed(unquote(line.slice(colon + 1).trim()), ctx.attributes[at]!.type, key);
      }
      const missing = data.findIndex((v) => v === undefined);
      if (missing >= 0) throw new Error(`attribute '${ctx.attributes[missing]!.name}' is missing`);
      return [{ data }];
    };
  },
};

/** `@attributes(a='A[1]')`: group 1 of the first match of option regex.A; no match fails the payload unless fail.on.missing.attribute='false'. */
function regexMapping(ctx: MapperContext): (payload: unknown) => MappedEvent[] {
  const failOnMissing = ctx.options.bool('fail.on.missing.attribute', true);
  const mappings = mappingsByAttribute(ctx, 'regex group');
  const readers = ctx.attributes.map((a, i) => {
    const ref = /^\s*([A-Za-z0-9_]+)\[(\d+)\]\s*$/.exec(mappings[i]!);
    if (!ref) throw new Error(`attribute '${a.name}': '${mappings[i]}' is not a regex group like 'A[1]'`);
    const source = ctx.options.get(`regex.${ref[1]}`);
    if (source === undefined) throw new Error(`attribute '${a.name}' reads ${mappings[i]}, but there is no regex.${ref[1]}='…'`);
    let regex: RegExp;
    try {
      regex = new RegExp(source);
    } catch (e) {
      throw new Error(`regex.${ref[1]} '${source}' is not a regular expression: ${(e as Error).message}`);
    }
    return { regex, group: Number(ref[2]), attribute: a };
  });
  return (payload) => {
    const text = payloadText(payload);
    const data = readers.map(({ regex, group, attribute }) => {
      const value = regex.exec(text)?.[group];
      if (value !== undefined) return typed(value, attribute.type, attribute.name);
      if (failOnMissing) throw new Error(`attribute '${attribute.name}': no match of ${regex} group ${group} (fail.on.missing.attribute='true')`);
      return null;
    });
    return [{ data }];
  };
}

/**
 * Sink: one payload per event, or with event.grouping.enabled='true' one per chunk, the events'
 * texts joined by a line holding `delimiter` (default ~~~~~~~~~~); new.line.character ends lines.
 */
export const textSinkMapper: SinkMapperKind = {
  create(ctx) {
    const grouping = ctx.options.bool('event.grouping.enabled', false);
    const delimiter = ctx.options.get('delimiter', '~~~~~~~~~~');
    const newLine = ctx.options.get('new.line.character', '\n');
    refuseObjectPayload(ctx.payloadTemplate, ctx.attributes, 'text');
    const render = ctx.payloadTemplate !== undefined ? compileTemplate(ctx.payloadTemplate, ctx.attributes) : defaultTextOf(ctx.attributes, newLine);
    if (!grouping) return (events) => events.map(render);
    const separator = newLine + delimiter + newLine;
    return (events) => [events.map(render).join(separator)];
  },
};

/** `symbol:"WSO2",<new line>price:55.6`: strings quoted, a null as null. */
function defaultTextOf(attributes: readonly AttributeSchema[], newLine: string): (e: Event) => string {
  const names = attributes.map((a) => `${a.name}:`);
  const types = attributes.map((a) => a.type);
  const separator = `,${newLine}`;
  return (e) => {
    let out = '';
    for (let i = 0; i < names.length; i++) out += (i === 0 ? '' : separator) + names[i] + textValue(e.data[i], types[i]!);
    return out;
  };
}

export const csvSourceMapper: SourceMapperKind = {
  create(ctx) {
    const delimiter = ctx.options.get('delimiter', ',');
    return (payload) => {
      const out: MappedEvent[] = [];
      for (const line of payloadText(payload).split(/\r?\n/)) {
        if (line.trim() === '') continue;
        const cells = line.split(delimiter);
        if (cells.length !== ctx.attributes.length) throw new Error(`'${clip(line, 60)}' has ${cells.length} fields, stream '${ctx.streamName}' has ${ctx.attributes.length}`);
        out.push({ data: cells.map((c, i) => typed(c, ctx.attributes[i]!.type, ctx.attributes[i]!.name)) });
      }
      return out;
    };
  },
};

export const csvSinkMapper: SinkMapperKind = {
  create(ctx) {
    const delimiter = ctx.options.get('delimiter', ',');
    const types = ctx.attributes.map((a) => a.type);
    return (events: readonly Event[]) => events.map((e) => e.data.map((v, i) => (v === null || v === undefined ? '' : valueText(v, types[i]!))).join(delimiter));
  },
};

/** Text read as an attribute's type ('null' is null); throws naming the attribute when it is not one. */
export function typed(text: string, type: AttributeType, name: string): unknown {
  if (text === 'null') return null;
  const v = parseAs(text, type);
  if (v === null) throw new Error(`attribute '${name}': '${clip(text, 40)}' is not a ${type}`);
  return v;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function textValue(v: unknown, type: AttributeType): string {
  if (v === null || v === undefined) return 'null';
  return type === 'string' ? `"${String(v)}"` : valueText(v, type);
}
