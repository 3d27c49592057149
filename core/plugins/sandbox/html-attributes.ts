// Every element and attribute in a piece of HTML, as the browser will see them. Plain markup (the
// usual fragment: no comments, raw-text or foreign elements) is read by a small tokenizer that
// follows the HTML spec's tag and attribute rules; anything else goes through parse5 (the spec's
// full tree construction) and is re-serialized, so the browser receives exactly what was checked.
import { parseFragment, serialize, type DefaultTreeAdapterMap } from 'parse5';

export type Element = { tag: string; attrs: { name: string; value: string }[] };

/** Markup whose parsing has special rules (comments, raw text, foreign content...): use parse5. */
const SPECIAL = /<[!?]|<\/?(?:svg|math|style|textarea|title|xmp|noscript|noembed|noframes|iframe|script|plaintext|template|select|table)[\s/>]|\0/i;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes character references; returns null when one is not understood (the caller refuses). */
export function decodeEntities(s: string): string | null {
  if (!s.includes('&')) return s;
  let unknown = false;
  const out = s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?/g, (m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
    }
    if (m.endsWith(';') && NAMED[ref]) return NAMED[ref];
    unknown = true;
    return m;
  });
  return unknown ? null : out;
}

function tokenize(html: string): Element[] {
  const out: Element[] = [];
  const tagStart = /<([A-Za-z][^\s/>]*)/g;
  for (let m = tagStart.exec(html); m; m = tagStart.exec(html)) {
    const el: Element = { tag: m[1].toLowerCase(), attrs: [] };
    let i = tagStart.lastIndex;
    for (;;) {
      while (i < html.length && /[\s/]/.test(html[i])) i++;
      if (i >= html.length || html[i] === '>') break;
      const nameStart = i++; // the first character may be '=' (spec: part of the name)
      while (i < html.length && !/[\s/>=]/.test(html[i])) i++;
      const name = html.slice(nameStart, i).toLowerCase();
      while (i < html.length && /\s/.test(html[i])) i++;
      let value = '';
      if (html[i] === '=') {
        i++;
        while (i < html.length && /\s/.test(html[i])) i++;
        const q = html[i];
        if (q === '"' || q === "'") {
          const end = html.indexOf(q, i + 1);
          value = html.slice(i + 1, end < 0 ? html.length : end);
          i = end < 0 ? html.length : end + 1;
        } else {
          const start = i;
          while (i < html.length && !/[\s>]/.test(html[i])) i++;
          value = html.slice(start, i);
        }
      }
      const decoded = decodeEntities(value);
      // An unknown reference stays as written but is marked, so checks on it fail closed.
      el.attrs.push({ name, value: decoded ?? `\u0000${value}` });
    }
    tagStart.lastIndex = i;
    out.push(el);
  }
  return out;
}

type Node = DefaultTreeAdapterMap['node'];

function walk(node: Node, out: Element[]): void {
  if ('tagName' in node) out.push({ tag: node.tagName.toLowerCase(), attrs: node.attrs.map((a) => ({ name: (a.prefix ? `${a.prefix}:` : '') + a.name.toLowerCase(), value: a.value })) });
  if ('content' in node && node.content) walk(node.content as Node, out);
  if ('childNodes' in node) for (const child of node.childNodes) walk(child, out);
}

/** Elements of `html`, and the markup to send (normalized when parse5 was needed); null if unstable. */
export function readElements(html: string): { elements: Element[]; html: string } | null {
  if (!SPECIAL.test(html)) return { elements: tokenize(html), html };
  const normalized = serialize(parseFragment(html));
  // Markup that parses differently once serialized (namespace tricks) is refused, not guessed at.
  const tree = parseFragment(normalized);
  if (serialize(tree) !== normalized) return null;
  const elements: Element[] = [];
  walk(tree as Node, elements);
  return { elements, html: normalized };
}
