// The XPath subset of @map(type='xml'): steps by element name (a step without
// a prefix matches the local name, so `namespaces` is not needed), `*`, `.`,
// `//` (any depth), and a last `@attribute` step; `/…` starts at the document.

import type { XmlElement } from '../../runtime/functions/ext/map-xml.js';

type Step =
  | { readonly kind: 'element'; readonly name: string; readonly deep: boolean }
  | { readonly kind: 'attribute'; readonly name: string; readonly deep: boolean }
  | { readonly kind: 'self'; readonly deep: boolean };

/** What a path selects: elements, or attribute values (text). */
export type XmlMatch = XmlElement | string;

/** Compiles `path` once; the result selects from `context`, an absolute path from a document whose root is `root`. */
export function compileXmlPath(path: string): (context: XmlElement, root: XmlElement) => XmlMatch[] {
  const p = path.trim();
  const absolute = p.startsWith('/');
  const steps = parseSteps(p, absolute);
  return (context, root) => {
    let nodes: XmlElement[] = [absolute ? documentOf(root) : context];
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const from = step.deep ? nodes.flatMap(selfAndDescendants) : nodes;
      if (step.kind === 'attribute') {
        return from.flatMap((n) => (Object.hasOwn(n.attributes, step.name) ? [n.attributes[step.name]!] : matchAttribute(n, step.name)));
      }
      nodes = step.kind === 'self' ? from : from.flatMap((n) => n.children.filter((c) => nameMatches(c.name, step.name)));
    }
    return nodes;
  };
}

function parseSteps(p: string, absolute: boolean): Step[] {
  const steps: Step[] = [];
  const parts = p.split('/');
  let deep = false;
  for (let i = absolute ? 1 : 0; i < parts.length; i++) {
    const part = parts[i]!.trim();
    if (part === '') {
      // `//`: the next step looks at any depth.
      if (i === parts.length - 1) throw new Error(`XPath '${p}' ends with '/'`);
      deep = true;
      continue;
    }
    if (steps.at(-1)?.kind === 'attribute') throw new Error(`XPath '${p}': an @attribute step must be the last`);
    if (part === '.') steps.push({ kind: 'self', deep });
    else if (part.startsWith('@')) steps.push({ kind: 'attribute', name: part.slice(1), deep });
    else if (/^(\*|[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?)$/.test(part)) steps.push({ kind: 'element', name: part, deep });
    else throw new Error(`XPath '${p}': step '${part}' is not supported (element names, *, ., // and @attribute are)`);
    deep = false;
  }
  if (steps.length === 0) throw new Error(`XPath '${p}' selects nothing`);
  return steps;
}

function nameMatches(name: string, step: string): boolean {
  return step === '*' || name === step || (!step.includes(':') && localName(name) === step);
}

function matchAttribute(n: XmlElement, step: string): string[] {
  if (step.includes(':')) return [];
  const key = Object.keys(n.attributes).find((k) => localName(k) === step);
  return key === undefined ? [] : [n.attributes[key]!];
}

export function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function documentOf(root: XmlElement): XmlElement {
  return { name: '#document', attributes: {}, children: [root], text: '' };
}

/** In document order, so the first match is the first in the text. */
function selfAndDescendants(n: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const visit = (e: XmlElement): void => {
    out.push(e);
    for (const c of e.children) visit(c);
  };
  visit(n);
  return out;
}
