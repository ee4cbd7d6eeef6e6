/**
 * Just enough XML for test reports (JUnit from pytest and `node --test`): elements, attributes,
 * text; comments, processing instructions and doctypes are skipped, CDATA is kept as text.
 */
export type XmlElement = {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
};

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  let last = 0;
  for (const match of source.matchAll(TOKEN)) {
    const current = stack[stack.length - 1] ?? root;
    current.text += decodeEntities(source.slice(last, match.index));
    last = match.index + match[0].length;
    const [, cdata, closing, name, attributeText, selfClosing] = match;
    if (cdata !== undefined) {
      current.text += cdata;
      continue;
    }
    if (name === undefined) continue;
    if (closing) {
      const at = stack.findLastIndex((element) => element.name === name);
      if (at > 0) stack.length = at;
      continue;
    }
    const element: XmlElement = {
      name,
      attributes: parseAttributes(attributeText ?? ""),
      children: [],
      text: "",
    };
    current.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  return root;
}

function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(ATTRIBUTE)) {
    const key = match[1];
    if (key !== undefined) attributes[key] = decodeEntities(match[2] ?? match[3] ?? "");
  }
  return attributes;
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === "#") {
      const code =
        entity[1] === "x" || entity[1] === "X"
          ? Number.parseInt(entity.slice(2), 16)
          : Number(entity.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[entity.toLowerCase()] ?? whole;
  });
}

/** Every descendant element named `name`, depth first, with the chain of ancestors leading to it. */
export function* descendants(
  element: XmlElement,
  name: string,
  ancestors: XmlElement[] = [],
): Generator<{ element: XmlElement; ancestors: XmlElement[] }> {
  for (const child of element.children) {
    if (child.name === name) yield { element: child, ancestors };
    yield* descendants(child, name, [...ancestors, child]);
  }
}
