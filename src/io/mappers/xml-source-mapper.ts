// @map(type='xml') for sources (siddhi-map-xml): the default
// `<events><event><symbol>IBM</symbol>…</event>…</events>` (unknown child
// elements ignored, `xsi:nil="true"` is null), or @attributes(a='XPath') per
// event element: the root, or those enclosing.element selects (their children
// unless enclosing.element.as.event='true'). An event that does not map fails its payload.

import { parseXml, type XmlElement } from '../../runtime/functions/ext/map-xml.js';
import type { AttributeSchema } from '../../runtime/schema.js';
import type { MappedEvent, MapperContext, SourceMapperKind } from '../contract.js';
import { payloadText } from './parse-payload.js';
import { mappingsByAttribute } from './attribute-mappings.js';
import { typed } from './text-mappers.js';
import { compileXmlPath, localName } from './xml-path.js';

export const xmlSourceMapper: SourceMapperKind = {
  create(ctx) {
    for (const unsupported of ['enable.streaming.xml.content', 'extract.leaf.node.data']) {
      if (ctx.options.bool(unsupported, false)) throw new Error(`${unsupported}='true' is not supported`);
    }
    const failOnMissing = ctx.options.bool('fail.on.missing.attribute', true);
    const toEvent = ctx.attributeMappings ? customEvent(ctx, failOnMissing) : defaultEvent(ctx, failOnMissing);
    const eventsOf = eventElements(ctx);
    return (payload) => {
      let root: XmlElement;
      try {
        root = parseXml(payloadText(payload));
      } catch (e) {
        throw new Error(`not well-formed XML: ${(e as Error).message}`);
      }
      return eventsOf(root).map(toEvent);
    };
  },
};

/** The elements that are events: the default `<events><event>…`, or the root / enclosing.element's. */
function eventElements(ctx: MapperContext): (root: XmlElement) => XmlElement[] {
  if (!ctx.attributeMappings) {
    return (root) => {
      if (localName(root.name) !== 'events') throw new Error(`the root element is <${root.name}>, the default mapping reads <events><event>…</event></events>`);
      return root.children.filter((c) => localName(c.name) === 'event');
    };
  }
  const enclosing = ctx.options.get('enclosing.element');
  if (enclosing === undefined) return (root) => [root];
  const select = compileXmlPath(enclosing);
  const asEvent = ctx.options.bool('enclosing.element.as.event', false);
  return (root) => {
    const found = select(root, root).filter((m): m is XmlElement => typeof m !== 'string');
    if (found.length === 0) throw new Error(`enclosing.element '${enclosing}' matches nothing`);
    return asEvent ? found : found.flatMap((e) => e.children);
  };
}

function defaultEvent(ctx: MapperContext, failOnMissing: boolean): (e: XmlElement) => MappedEvent {
  const positions = new Map(ctx.attributes.map((a, i) => [a.name, i]));
  return (event) => {
    const data: unknown[] = new Array(positions.size).fill(undefined);
    for (const child of event.children) {
      const at = positions.get(localName(child.name));
      if (at === undefined) continue;
      const a = ctx.attributes[at]!;
      data[at] = isNil(child) ? null : typed(child.text, a.type, a.name);
    }
    return { data: data.map((v, i) => (v !== undefined ? v : missing(ctx.attributes[i]!, `no <${ctx.attributes[i]!.name}> in the event`, failOnMissing))) };
  };
}

function customEvent(ctx: MapperContext, failOnMissing: boolean): (e: XmlElement) => MappedEvent {
  const asEvent = ctx.options.bool('enclosing.element.as.event', false);
  const paths = mappingsByAttribute(ctx, 'XPath');
  const readers = ctx.attributes.map((a, i) => {
    const path = paths[i]!;
    const select = compileXmlPath(path);
    return (event: XmlElement): unknown => {
      let match = select(event, event)[0];
      // The reference: with enclosing.element.as.event, a leaf event element named by the path is its own value.
      if (match === undefined && asEvent && localName(event.name) === path.trim() && event.children.length === 0) match = event;
      if (match === undefined) return missing(a, `XPath '${path}' finds nothing`, failOnMissing);
      if (typeof match === 'string') return typed(match, a.type, a.name);
      if (isNil(match)) return null;
      if (match.children.length === 0) return typed(match.text, a.type, a.name);
      if (a.type === 'string') return xmlOf(match);
      throw new Error(`attribute '${a.name}': XPath '${path}' finds <${match.name}>, which is not a leaf element`);
    };
  });
  return (event) => ({ data: readers.map((read) => read(event)) });
}

function missing(a: AttributeSchema, why: string, failOnMissing: boolean): null {
  if (failOnMissing) throw new Error(`attribute '${a.name}': ${why} (fail.on.missing.attribute='true')`);
  return null;
}

function isNil(e: XmlElement): boolean {
  return Object.entries(e.attributes).some(([k, v]) => localName(k) === 'nil' && v === 'true');
}

/** An element with children as text, for a string attribute (its own text first, then the children). */
function xmlOf(e: XmlElement): string {
  const attrs = Object.entries(e.attributes).map(([k, v]) => ` ${k}="${escape(v)}"`).join('');
  return `<${e.name}${attrs}>${escape(e.text.trim())}${e.children.map(xmlOf).join('')}</${e.name}>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
