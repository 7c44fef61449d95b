// @map(type='xml') for sinks: the reference's default
// `<events><event><symbol>IBM</symbol>…</event>…</events>` (one payload per
// chunk; a null value is `<a xsi:nil="true"/>`), `enclosing.element='<portfolio>'`
// in place of `<events>`, or a @payload template per event inside it.

import type { Event } from '../../runtime/junction.js';
import type { SinkMapperKind } from '../contract.js';
import type { AttributeSchema } from '../../runtime/schema.js';
import { refuseObjectPayload, valueText } from './value-text.js';
import { compileTemplate } from './template.js';

export const xmlSinkMapper: SinkMapperKind = {
  create(ctx) {
    refuseObjectPayload(ctx.payloadTemplate, ctx.attributes, 'xml');
    const enclosing = ctx.options.get('enclosing.element');
    const open = enclosing ?? (ctx.payloadTemplate === undefined ? '<events>' : '');
    const close = open === '' ? '' : closingTagOf(open);
    const render = ctx.payloadTemplate !== undefined ? compileTemplate(ctx.payloadTemplate, ctx.attributes) : elementsOf(ctx.attributes);
    return (events) => {
      let out = open;
      for (const e of events) out += render(e);
      return [out + close];
    };
  },
};

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
