// @map(type='text') and @map(type='csv'). text: the reference's default
// `name:value` lines joined by ',\n' (strings quoted), or a @payload template
// for sinks. csv: one event per line, `delimiter` (default ',').

import type { AttributeType } from '../../ast/index.js';
import type { Event } from '../../runtime/junction.js';
import { parseAs } from '../../runtime/values.js';
import type { MappedEvent, SinkMapperKind, SourceMapperKind } from '../contract.js';
import { compileTemplate } from './template.js';
import { clip, payloadText } from './parse-payload.js';

export const textSourceMapper: SourceMapperKind = {
  create(ctx) {
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

export const textSinkMapper: SinkMapperKind = {
  create(ctx) {
    if (ctx.payloadTemplate !== undefined) {
      const render = compileTemplate(ctx.payloadTemplate, ctx.attributes);
      return (events) => events.map(render);
    }
    return (events) => events.map((e) => ctx.attributes.map((a, i) => `${a.name}:${textValue(e.data[i], a.type)}`).join(',\n'));
  },
};

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
    return (events: readonly Event[]) => events.map((e) => e.data.map((v) => (v === null || v === undefined ? '' : String(v))).join(delimiter));
  },
};

function typed(text: string, type: AttributeType, name: string): unknown {
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
  return type === 'string' ? `"${String(v)}"` : String(v);
}
