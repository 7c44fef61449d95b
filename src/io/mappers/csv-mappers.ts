// @map(type='csv') (siddhi-map-csv), as the reference writes and reads it with
// Apache Commons CSV: a record per event ending in a line separator, fields
// quoted with '"' only where needed, a null as null; `delimiter` (default ',',
// '\t' a tab), header='true' (the sink publishes the header line once, before
// the first events; the source skips its first payload), event.grouping.enabled
// (the sink publishes a chunk's records as one payload), @payload(a='0', …) /
// @attributes(a='0', …) column positions.

import type { Event } from '../../runtime/junction.js';
import type { AttributeSchema } from '../../runtime/schema.js';
import type { MappedEvent, MapperContext, SinkMapperKind, SourceMapperKind } from '../contract.js';
import { mappingsByAttribute } from './attribute-mappings.js';
import { clip, payloadText } from './parse-payload.js';
import { convertText } from './attribute-converter.js';
import { valueText } from './value-text.js';

const LINE = '\n';

function delimiterOf(ctx: MapperContext): string {
  const d = ctx.options.get('delimiter', ',');
  if (d === '') throw new Error("delimiter='' is empty");
  return d === '\\t' ? '\t' : d;
}

export const csvSinkMapper: SinkMapperKind = {
  create(ctx) {
    const delimiter = delimiterOf(ctx);
    const grouping = ctx.options.bool('event.grouping.enabled', false);
    const columns = sinkColumnsOf(ctx);
    let header = ctx.options.bool('header', false) ? columns.map((i) => ctx.attributes[i]!.name) : undefined;
    const types = ctx.attributes.map((a) => a.type);
    const record = (e: Event): string => recordOf(columns.map((i) => {
      const v = e.data[i];
      return v === null || v === undefined ? null : valueText(v, types[i]!);
    }), delimiter);
    return (events) => {
      const out: string[] = [];
      if (header !== undefined) {
        out.push(recordOf(header, delimiter));
        header = undefined;
      }
      if (grouping) out.push(events.map(record).join(''));
      else for (const e of events) out.push(record(e));
      return out;
    };
  },
};

/** The attribute written in each column: in order, or by @payload(symbol='0', price='2', volume='1'). */
function sinkColumnsOf(ctx: MapperContext): number[] {
  if (!ctx.payloadMappings) return ctx.attributes.map((_, i) => i);
  const columns: number[] = [];
  for (const m of ctx.payloadMappings) {
    const at = ctx.attributes.findIndex((a) => a.name === m.key);
    if (m.key === undefined || at < 0) throw new Error(`csv @payload needs attribute='column' elements, got '${m.key ?? m.value}'`);
    const column = Number(m.value.trim());
    if (!/^\d+$/.test(m.value.trim()) || column >= ctx.payloadMappings.length) {
      throw new Error(`csv @payload ${m.key}='${m.value}': a column is an integer in [0, ${ctx.payloadMappings.length})`);
    }
    columns[column] = at;
  }
  for (let i = 0; i < columns.length; i++) if (columns[i] === undefined) throw new Error(`csv @payload names no attribute for column ${i}`);
  return columns;
}

/** One record and its line separator; null fields as null, unquoted. */
function recordOf(fields: readonly (string | null)[], delimiter: string): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    out += (i === 0 ? '' : delimiter) + (f === null ? 'null' : quoted(f, delimiter, i === 0));
  }
  return out + LINE;
}

/**
 * Commons CSV's minimal quoting: a field is quoted when it holds the quote, a
 * line break or the delimiter, starts with a character up to '#' or ends with
 * one up to ' ' (or is empty and first in its record); quotes inside doubled.
 */
function quoted(f: string, delimiter: string, first: boolean): string {
  let quote: boolean;
  if (f.length === 0) quote = first;
  else quote = f.charCodeAt(0) <= 0x23 || /["\r\n]/.test(f) || f.includes(delimiter) || f.charCodeAt(f.length - 1) <= 0x20;
  return quote ? `"${f.replace(/"/g, '""')}"` : f;
}

export const csvSourceMapper: SourceMapperKind = {
  create(ctx) {
    const delimiter = delimiterOf(ctx);
    const failOnUnknown = ctx.options.bool('fail.on.unknown.attribute', true);
    let skipHeader = ctx.options.bool('header', false);
    const columns = ctx.attributeMappings
      ? mappingsByAttribute(ctx, 'column').map((m, i) => {
        if (!/^\s*\d+\s*$/.test(m)) throw new Error(`attribute '${ctx.attributes[i]!.name}': '${m}' is not a column number`);
        return Number(m);
      })
      : ctx.attributes.map((_, i) => i);
    return (payload) => {
      const text = payloadText(payload);
      // As the reference: with header='true' the first payload is the header.
      if (skipHeader) {
        skipHeader = false;
        return [];
      }
      const out: MappedEvent[] = [];
      // As the reference: the records that map go in, each one that does not is reported.
      for (const fields of parseCsv(text, delimiter)) {
        try {
          out.push({ data: eventData(fields, columns, ctx.attributes, failOnUnknown) });
        } catch (e) {
          out.push({ data: [], error: e as Error });
        }
      }
      return out;
    };
  },
};

function eventData(fields: readonly string[], columns: readonly number[], attributes: readonly AttributeSchema[], failOnUnknown: boolean): unknown[] {
  return columns.map((c, i) => {
    const a = attributes[i]!;
    const f = fields[c];
    if (f === undefined) {
      if (failOnUnknown) throw new Error(`'${clip(fields.join(','), 60)}' has no column ${c} for attribute '${a.name}'`);
      return null;
    }
    if (a.type === 'string' || a.type === 'object') return f;
    try {
      // The mapper's CSVFormat has no null string: 'null' is text, and AttributeConverter fails it for a number.
      return convertText(f, a.type, a.name);
    } catch (e) {
      if (failOnUnknown) throw e;
      return null;
    }
  });
}

/** Commons CSV's reading: fields split at the delimiter, '"' quotes with '""' inside, empty lines skipped. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  // At the start of a field (where a quote opens one), and whether the record has anything yet.
  let fieldStart = true;
  let empty = true;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && fieldStart) {
      i = readQuoted(text, i + 1, (s) => { field += s; });
      fieldStart = false;
      empty = false;
    } else if (text.startsWith(delimiter, i)) {
      fields.push(field);
      field = '';
      fieldStart = true;
      empty = false;
      i += delimiter.length;
    } else if (c === '\n' || c === '\r') {
      if (!empty) records.push([...fields, field]);
      fields = [];
      field = '';
      fieldStart = true;
      empty = true;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      fieldStart = false;
      empty = false;
      i++;
    }
  }
  if (!empty) records.push([...fields, field]);
  return records;
}

/** Reads a quoted field's text from `from` (after the opening quote); returns the index after the closing one. */
function readQuoted(text: string, from: number, add: (s: string) => void): number {
  let i = from;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close < 0) throw new Error(`'${clip(text, 60)}': a quoted field is not closed`);
    add(text.slice(i, close));
    if (text[close + 1] !== '"') return close + 1;
    add('"');
    i = close + 2;
  }
}
