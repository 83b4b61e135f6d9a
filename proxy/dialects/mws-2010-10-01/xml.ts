// A small, strict reader for MWS's XML answers, so the Worker bundle does not carry a general XML library
// (fast-xml-parser and its dependencies weigh ~21 KiB gzip against the bundle's budget). It reads what MWS sends:
// elements, text, CDATA, the five XML entities and character references; it skips the prolog, comments, processing
// instructions, attributes and namespace prefixes; anything else (a DOCTYPE, a tag left open, a stray `&`, text
// beside child elements) makes the whole document unreadable, never partly read.

/** Element text, or the element's children by name (repeated names and MWS lists as arrays). */
export type XmlValue = string | XmlElement | XmlValue[];
export interface XmlElement {
  [name: string]: XmlValue;
}

/** MWS lists: always arrays, even with one entry. */
const LISTS = new Set(["member", "Error"]);
const MAX_DEPTH = 64;

class Unreadable extends Error {}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTRIBUTE = /\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*')/y;
const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decode(text: string): string {
  // Every `&` must start one of these references.
  if (text.replace(ENTITY, "").includes("&")) throw new Unreadable();
  return text.replace(ENTITY, (_, hex: string, decimal: string, name: string) => {
    if (name) return NAMED[name] as string;
    const code = hex ? Number.parseInt(hex, 16) : Number(decimal);
    if (code > 0x10ffff) throw new Unreadable();
    return String.fromCodePoint(code);
  });
}

/** The document as `{root: value}`, or undefined when it is not well-formed XML of this kind. */
export function readXml(text: string): XmlElement | undefined {
  let at = 0;

  const skipTo = (end: string) => {
    const found = text.indexOf(end, at);
    if (found < 0) throw new Unreadable();
    at = found + end.length;
  };
  /** Whitespace, comments and processing instructions between elements. */
  const skipMisc = () => {
    for (;;) {
      while (at < text.length && /\s/.test(text[at] as string)) at++;
      if (text.startsWith("<!--", at)) skipTo("-->");
      else if (text.startsWith("<?", at)) skipTo("?>");
      else return;
    }
  };
  const name = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    if (!match) throw new Unreadable();
    at = NAME.lastIndex;
    const local = match[0];
    return local.slice(local.indexOf(":") + 1);
  };
  const add = (children: XmlElement, key: string, value: XmlValue) => {
    const existing = children[key];
    if (LISTS.has(key)) children[key] = [...((existing as XmlValue[] | undefined) ?? []), value];
    else if (existing === undefined) children[key] = value;
    else children[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  };

  const element = (depth: number): [string, XmlValue] => {
    if (depth > MAX_DEPTH || text[at] !== "<") throw new Unreadable();
    at++;
    const tag = name();
    for (;;) {
      ATTRIBUTE.lastIndex = at;
      if (!ATTRIBUTE.exec(text)) break;
      at = ATTRIBUTE.lastIndex;
    }
    while (/\s/.test(text[at] ?? "")) at++;
    if (text.startsWith("/>", at)) {
      at += 2;
      return [tag, ""];
    }
    if (text[at] !== ">") throw new Unreadable();
    at++;
    const children: XmlElement = {};
    let content = "";
    let hasChildren = false;
    for (;;) {
      if (at >= text.length) throw new Unreadable();
      if (text.startsWith("</", at)) {
        at += 2;
        if (name() !== tag) throw new Unreadable();
        while (/\s/.test(text[at] ?? "")) at++;
        if (text[at] !== ">") throw new Unreadable();
        at++;
        break;
      }
      if (text.startsWith("<!--", at)) skipTo("-->");
      else if (text.startsWith("<?", at)) skipTo("?>");
      else if (text.startsWith("<![CDATA[", at)) {
        const start = at + 9;
        skipTo("]]>");
        content += text.slice(start, at - 3);
      } else if (text[at] === "<") {
        const [key, value] = element(depth + 1);
        add(children, key, value);
        hasChildren = true;
      } else {
        const end = text.indexOf("<", at);
        if (end < 0) throw new Unreadable();
        content += decode(text.slice(at, end));
        at = end;
      }
    }
    if (!hasChildren) return [tag, content.trim()];
    if (content.trim() !== "") throw new Unreadable();
    return [tag, children];
  };

  try {
    skipMisc();
    const [root, value] = element(0);
    skipMisc();
    if (at !== text.length) return undefined;
    return { [root]: value };
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
}
