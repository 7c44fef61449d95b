// @map(type='text'): the reference's default `name:value` lines joined by
// ',\n' (strings quoted), regex groups for a source with @attributes(a='A[1]')
// and regex.A='…', or a @payload template for sinks.

import type { AttributeType } from '../../ast/index.js';
import type { Event } from '../../runtime/junction.js';
import { parseAs } from '../../runtime/values.js';
import type { MapperContext, SinkMapperKind, SourceMapperKind } from '../contract.js';
import { mappingsByAttribute } from './attribute-mappings.js';
import { compileTemplate } from './template.js';
import { compileMustache } from './mustache.js';
import { clip, payloadText } from './parse-payload.js';
import { refuseObjectPayload, valueText } from './value-text.js';
import type { AttributeSchema } from '../../runtime/schema.js';

/**
 * Source: one event per payload, or with event.grouping.enabled='true' one per part between
 * `delimiter` lines (an event that does not map is reported, the others go in), as the reference.
 */
export const textSourceMapper: SourceMapperKind = {
  create(ctx) {
    const newLine = ctx.options.get('new.line.character', '\n');
    const failOnMissing = ctx.options.bool('fail.on.missing.attribute', true);
    const one = ctx.attributeMappings ? regexMapping(ctx, failOnMissing) : defaultMapping(ctx, newLine, failOnMissing);
    if (!ctx.options.bool('event.grouping.enabled', false)) return (payload) => [{ data: one(payloadText(payload)) }];
    const delimiter = ctx.options.get('delimiter', '~~~~~~~~~~') + newLine;
    return (payload) => {
      const parts = payloadText(payload).split(delimiter);
      return parts.map((part, i) => {
        const text = i < parts.length - 1 && part.endsWith(newLine) ? part.slice(0, part.length - newLine.length) : part;
        try {
          return { data: one(text) };
        } catch (e) {
          return { data: [], error: e as Error };
        }
      });
    };
  },
};

/**
 * `symbol:"WSO2",<new line>price:55.6`: keys not in the stream are ignored, the first of a repeated
 * key counts, a string loses its quotes ("…" or '…'), a number its commas (1,000).
 */
function defaultMapping(ctx: MapperContext, newLine: string, failOnMissing: boolean): (text: string) => unknown[] {
  const positions = new Map(ctx.attributes.map((a, i) => [a.name, i]));
  const separator = newLine === '\n' ? /,[^\S\n]*\n/ : `,${newLine}`;
  return (text) => {
    const data: unknown[] = new Array(positions.size).fill(undefined);
    for (const line of text.split(separator)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim();
      const at = positions.get(key);
      if (at === undefined || data[at] !== undefined) continue;
      const value = line.slice(colon + 1).trim();
      const type = ctx.attributes[at]!.type;
      data[at] = type === 'string' ? (value === 'null' ? null : unquote(value)) : typed(value.replace(/,/g, ''), type, key);
    }
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== undefined) continue;
      if (failOnMissing) throw new Error(`attribute '${ctx.attributes[i]!.name}' is missing (fail.on.missing.attribute='true')`);
      data[i] = null;
    }
    return data;
  };
}

/**
 * `@attributes(a='A[1]', b='B')`: group 1 (or the one named) of the first match of option regex.A; no
 * match fails the payload unless fail.on.missing.attribute='false'. A number loses its commas (1,000).
 */
function regexMapping(ctx: MapperContext, failOnMissing: boolean): (text: string) => unknown[] {
  const mappings = mappingsByAttribute(ctx, 'regex group');
  const readers = ctx.attributes.map((a, i) => {
    const ref = /^\s*([A-Za-z0-9_]+)(?:\[(\d+)\])?\s*$/.exec(mappings[i]!);
    if (!ref) throw new Error(`attribute '${a.name}': '${mappings[i]}' is not a regex group like 'A[1]' or 'A'`);
    const source = ctx.options.get(`regex.${ref[1]}`);
    if (source === undefined) throw new Error(`attribute '${a.name}' reads ${mappings[i]}, but there is no regex.${ref[1]}='…'`);
    let regex: RegExp;
    try {
      regex = new RegExp(source);
    } catch (e) {
      throw new Error(`regex.${ref[1]} '${source}' is not a regular expression: ${(e as Error).message}`);
    }
    return { regex, group: ref[2] === undefined ? 1 : Number(ref[2]), attribute: a };
  });
  return (text) => readers.map(({ regex, group, attribute }) => {
    const value = regex.exec(text)?.[group];
    if (value !== undefined) return attribute.type === 'string' ? value : typed(value.replace(/,/g, ''), attribute.type, attribute.name);
    if (failOnMissing) throw new Error(`attribute '${attribute.name}': no match of ${regex} group ${group} (fail.on.missing.attribute='true')`);
    return null;
  });
}

/**
 * Sink: one payload per event, or with event.grouping.enabled='true' one per chunk, the events'
 * texts joined by a line holding `delimiter` (default ~~~~~~~~~~); new.line.character ends lines;
 * mustache.enabled='true' renders the @payload as mustache (mustache.ts).
 */
export const textSinkMapper: SinkMapperKind = {
  create(ctx) {
    const grouping = ctx.options.bool('event.grouping.enabled', false);
    const delimiter = ctx.options.get('delimiter', '~~~~~~~~~~');
    const newLine = ctx.options.get('new.line.character', '\n');
    refuseObjectPayload(ctx.payloadTemplate, ctx.attributes, 'text');
    const mustache = ctx.options.bool('mustache.enabled', false);
    const render = ctx.payloadTemplate === undefined
      ? defaultTextOf(ctx.attributes, newLine)
      : (mustache ? compileMustache : compileTemplate)(ctx.payloadTemplate, ctx.attributes);
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

/** Text read as an attribute's type ('null' is null); throws naming the attribute when it is not one. */
export function typed(text: string, type: AttributeType, name: string): unknown {
  if (text === 'null') return null;
  const v = parseAs(text, type);
  if (v === null) throw new Error(`attribute '${name}': '${clip(text, 40)}' is not a ${type}`);
  return v;
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.endsWith(s[0]) ? s.slice(1, -1) : s;
}

function textValue(v: unknown, type: AttributeType): string {
  if (v === null || v === undefined) return 'null';
  return type === 'string' ? `"${String(v)}"` : valueText(v, type);
}
