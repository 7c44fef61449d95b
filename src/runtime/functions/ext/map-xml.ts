// The element tree of an XML document, as map:createFromXML and the xml
// source mapper read it: element names, attributes, child elements and text
// (comments, processing instructions and the DOCTYPE are skipped; entities
// and CDATA decoded).

export interface XmlElement {
  readonly name: string;
  /** Attributes by qualified name (`id`, `xsi:nil`), values decoded. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** The element's own text nodes, concatenated (AXIOM's getText()). */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    const named = ENTITIES[e];
    if (named === undefined) throw new SyntaxError(`unknown entity ${whole}`);
    return named;
  });
}

/** Parses one document; throws SyntaxError naming the position when it is not well-formed. */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const skipTo = (end: string): number => {
    const j = text.indexOf(end, i);
    if (j < 0) fail(`missing '${end}'`);
    return j;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (stack.length > 0) stack[stack.length - 1]!.text += decode(chunk);
    else if (chunk.trim() !== '') fail('text outside the root element');
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) i = skipTo('-->') + 3;
    else if (text.startsWith('<![CDATA[', i)) {
      const end = skipTo(']]>');
      if (stack.length === 0) fail('CDATA outside the root element');
      stack[stack.length - 1]!.text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', i) || text.startsWith('<!', i)) i = skipTo('>') + 1;
    else if (text.startsWith('</', i)) {
      const end = skipTo('>');
      const name = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (open?.name !== name) fail(`closing tag '${name}' does not match '${open?.name ?? ''}'`);
      i = end + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(i));
      if (m === null) fail('malformed start tag');
      if (root !== undefined && stack.length === 0) fail('more than one root element');
      const el: XmlElement = { name: m![1]!, attributes: attributesOf(m![2]!), children: [], text: '' };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
      else root = el;
      if (m![3] !== '/') stack.push(el);
      i += m![0].length;
    }
  }
  if (stack.length > 0) fail(`element '${stack[stack.length - 1]!.name}' is not closed`);
  if (root === undefined) fail('no root element');
  return root!;
}

function attributesOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of text.matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[a[1]!] = decode(a[2] ?? a[3]!);
  return out;
}
