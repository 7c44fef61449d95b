// @map(type='xml') for sinks: the reference's default
// `<events><event><symbol>IBM</symbol>…</event>…</events>` (one payload per
// chunk; a null value is `<a xsi:nil="true"/>`), `enclosing.element='<portfolio>'`
// in place of `<events>`, or a @payload template per event inside it.
// validate.xml='true' drops (and reports) a templated payload that is not
// well-formed XML, as the reference's XMLSinkMapper parses it before publishing.

import type { Event } from '../../runtime/junction.js';
import type { SinkMapperKind } from '../contract.js';
import type { AttributeSchema } from '../../runtime/schema.js';
import { refuseObjectPayload, valueText } from './value-text.js';
import { compileTemplate } from './template.js';
import { parseXml } from '../../runtime/functions/ext/map-xml.js';

export const xmlSinkMapper: SinkMapperKind = {
  create(ctx) {
    refuseObjectPayload(ctx.payloadTemplate, ctx.attributes, 'xml');
    const enclosing = ctx.options.get('enclosing.element');
    const open = enclosing ?? (ctx.payloadTemplate === undefined ? '<events>' : '');
    const close = open === '' ? '' : closingTagOf(open);
    const render = ctx.payloadTemplate !== undefined ? compileTemplate(ctx.payloadTemplate, ctx.attributes) : elementsOf(ctx.attributes);
    const map = (events: readonly Event[]): string[] => {
      let out = open;
      for (const e of events) out += render(e);
      return [out + close];
    };
    // As the reference: only a @payload mapping is validated (a non-validating, DOCTYPE-refusing parse); the default one is not.
    if (ctx.payloadTemplate === undefined || !ctx.options.bool('validate.xml', false)) return map;
    const report = ctx.report ?? ((e: unknown) => { throw e; });
    return (events) => map(events).filter((text) => {
      const why = malformation(text);
      if (why === undefined) return true;
      report(new Error(`invalid XML (validate.xml='true'): ${why}; dropped: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`));
      return false;
    });
  },
};

/** Why `text` is not a well-formed XML document, or undefined when it is one. */
function malformation(text: string): string | undefined {
  if (/<!DOCTYPE/i.test(text)) return 'a DOCTYPE is not allowed';
  try {
    parseXml(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** `<event><a>1</a><b xsi:nil="true"/></event>`; text is escaped (the reference writes it raw, which breaks on `<` or `&`). */
function elementsOf(attributes: readonly AttributeSchema[]): (e: Event) => string {
  const names = attributes.map((a) => a.name);
  return (e) => {
    let out = '<event>';
    for (let i = 0; i < names.length; i++) {
      const v = e.data[i];
      out += v === null || v === undefined ? `<${names[i]} xsi:nil="true"/>` : `<${names[i]}>${escapeXml(valueText(v, attributes[i]!.type))}</${names[i]}>`;
    }
    return `${out}</event>`;
  };
}

/** `<portfolio xmlns="…">` → `</portfolio>` */
function closingTagOf(open: string): string {
  const name = /^<\s*([^\s>/]+)/.exec(open)?.[1];
  if (name === undefined) throw new Error(`enclosing.element '${open}' is not an XML start tag like '<portfolio>'`);
  return `</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
