// OFX text -> element tree, for both dialects in one pass:
//  - OFX 1.x is SGML: leaf elements are usually NOT closed ('<TRNAMT>-6.60<FITID>...'), aggregates are.
//  - OFX 2.x is XML: everything is closed; processing instructions carry the header.
// Hand-written rather than an npm OFX package: the published ones (ofx-js, node-ofx-parser, ofx)
// regex-close SGML tags and hand the result to an XML parser, which loses line numbers, turns
// amounts into floats and accepts unclosed aggregates silently. Here every node keeps its line, and
// structural faults are reported where they are ("line 22: <STMTTRN> is not closed before
// </BANKTRANLIST> on line 30").

import { StatementError } from './errors.ts';

export interface OfxNode {
  name: string;
  line: number;
  /** Leaf value (entities decoded, trimmed); undefined for aggregates. */
  text?: string;
  children: OfxNode[];
  parent?: OfxNode;
}

export interface OfxTree {
  /** OFX 1.x 'KEY:VALUE' header lines or OFX 2.x <?OFX ...?> attributes, keys upper-case. */
  header: Record<string, string>;
  /** The <OFX> element. */
  root: OfxNode;
}

// Elements the OFX spec defines as aggregates: these must be closed, in SGML too. Anything else left
// open is taken as an SGML leaf with an empty value (e.g. '<MEMO>' followed by '</STMTTRN>').
const AGGREGATES = new Set(`OFX SIGNONMSGSRSV1 SONRS STATUS FI BANKMSGSRSV1 STMTTRNRS STMTRS BANKACCTFROM
BANKACCTTO CCACCTFROM CCACCTTO BANKTRANLIST BANKTRANLISTP STMTTRN STMTTRNP LEDGERBAL AVAILBAL BALLIST BAL
CREDITCARDMSGSRSV1 CCSTMTTRNRS CCSTMTRS INVSTMTMSGSRSV1 INVSTMTTRNRS INVSTMTRS INVACCTFROM INVTRANLIST
INVPOSLIST INVBAL INV401KBAL INV401K SECLISTMSGSRSV1 SECLIST SECLISTTRNRS SECINFO SECID MFINFO STOCKINFO
OPTINFO DEBTINFO OTHERINFO INVTRAN INVBUY INVSELL BUYMF BUYSTOCK BUYDEBT BUYOPT BUYOTHER SELLMF SELLSTOCK
SELLDEBT SELLOPT SELLOTHER INCOME REINVEST TRANSFER INVEXPENSE INVBANKTRAN MARGININTEREST RETOFCAP SPLIT
JRNLFUND JRNLSEC CLOSUREOPT POSMF POSSTOCK POSDEBT POSOPT POSOTHER INVPOS CURRENCY ORIGCURRENCY PAYEE
MFASSETCLASS PORTION FIMFASSETCLASS FIPORTION INVOOLIST OPENORDERS`.split(/\s+/));

// Aggregates some servers write as leaves ('<CURRENCY>EUR', '<PAYEE>Name'): accepted as leaves.
const LEAF_TOLERANT = new Set(['CURRENCY', 'ORIGCURRENCY', 'PAYEE']);

// Leaves far outnumber aggregates: they share one empty (never mutated) array instead of each
// allocating its own, which halves the garbage on a 100k-transaction file.
const NO_CHILDREN = Object.freeze([]) as unknown as OfxNode[];

// Uploads are untrusted, and the parse runs on the server's one event loop: everything here must
// take time linear in the file. So no regex may try a text in more than one way (a name runs to its
// last name character, then anything up to '>'; whether it ends in '/' is read from the match), and
// nesting and element count are capped, each with the usual error naming the line.
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9._:-]*)(?:[^<>A-Za-z0-9._:-][^<>]*)?>/y;

/** Open elements inside one another: real statements nest about 10 deep; 100 leaves room for
 * SGML files whose empty elements are left unclosed (each one nests the next until its aggregate closes). */
export const MAX_DEPTH = 100;
/** Elements in one file: the 45 MiB upload limit (flow/upload.ts) over 12 bytes, about the least
 * a real element takes ('<TRNAMT>-1.5'); a 100k-transaction statement has under a million. */
export const MAX_ELEMENTS = Math.floor((45 * 1024 * 1024) / 12);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

// Each child's position among its same-named siblings, per parent with many children, counted
// once: a file of 100k statements or positions asks for the path of each, and scanning the
// siblings every time would be quadratic. Rebuilt if the children changed (they only grow while
// the tree is being read). A few siblings are simply scanned.
interface SiblingIndex { children: OfxNode[]; size: number; position: Map<OfxNode, number>; count: Map<string, number> }
const siblingIndexes = new WeakMap<OfxNode, SiblingIndex>();

function siblingIndex(parent: OfxNode): SiblingIndex {
  let index = siblingIndexes.get(parent);
  if (!index || index.children !== parent.children || index.size !== parent.children.length) {
    const position = new Map<OfxNode, number>(), count = new Map<string, number>();
    for (const c of parent.children) {
      const k = (count.get(c.name) ?? 0) + 1;
      count.set(c.name, k);
      position.set(c, k);
    }
    index = { children: parent.children, size: parent.children.length, position, count };
    siblingIndexes.set(parent, index);
  }
  return index;
}

/** 'OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN[2]/DTPOSTED' */
export function elementPath(node: OfxNode): string {
  const parts: string[] = [];
  for (let n: OfxNode | undefined = node; n && n.name !== '#root'; n = n.parent) {
    const siblings: OfxNode[] | undefined = n.parent?.children;
    if (!siblings) { parts.push(n.name); continue; }
    let position = 0, count = 0;
    if (siblings.length <= 32) {
      for (const c of siblings) if (c.name === n.name) { count++; if (c === n) position = count; }
    } else {
      const index = siblingIndex(n.parent!);
      count = index.count.get(n.name) ?? 0;
      position = index.position.get(n) ?? 0;
    }
    parts.push(count > 1 ? `${n.name}[${position}]` : n.name);
  }
  return parts.reverse().join('/');
}

function parseHeader(text: string): { header: Record<string, string>; bodyStart: number; bodyLine: number } {
  const header: Record<string, string> = {};
  const first = text.indexOf('<');
  const pre = first < 0 ? text : text.slice(0, first);
  for (const raw of pre.split(/\r?\n|\r/)) {
    // The value is trimmed with trim() (the same characters as \s) rather than by '\s*(.*?)\s*$',
    // which retries every split of a long run of spaces; like '.', it may hold no line separator.
    const m = /^\s*([A-Za-z]+)\s*:([^]*)$/.exec(raw);
    const value = m?.[2].trim();
    if (m && !/[\u2028\u2029]/.test(value!)) header[m[1].toUpperCase()] = value!;
  }
  const bodyLine = first < 0 ? 1 : countLines(text, 0, first) + 1;
  return { header, bodyStart: first < 0 ? text.length : first, bodyLine };
}

/** A letter, '/', '?' or '!' after '<' starts markup; anything else is a literal '<' in text. */
function isMarkupStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 47 || c === 63 || c === 33;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export interface OfxLimits { maxDepth?: number; maxElements?: number }

export function parseOfxTree(text: string, { maxDepth = MAX_DEPTH, maxElements = MAX_ELEMENTS }: OfxLimits = {}): OfxTree {
  const { header, bodyStart, bodyLine } = parseHeader(text);
  const top: OfxNode = { name: '#root', line: 1, children: [] };
  const stack: OfxNode[] = [top];
  let line = bodyLine;
  let pos = bodyStart;
  // The next newline at or after pos, found once: searching from pos at every step would scan to
  // the end of a file written on one line each time (quadratic; 20k transactions took 19 s).
  let nextNewline = text.indexOf('\n', pos);
  const advance = (to: number) => {
    while (nextNewline >= 0 && nextNewline < to) { line++; nextNewline = text.indexOf('\n', nextNewline + 1); }
    pos = to;
  };
  let elements = 0;
  let ofxSeen = false; // an <OFX> element is among top's children

  const addText = (raw: string) => {
    const value = raw.trim();
    if (value === '') return;
    const current = stack[stack.length - 1];
    // Text after the <OFX> element (some servers append a trailer) is not part of the statement.
    if (current === top && ofxSeen) return;
    if (current === top || current.children.length > 0) {
      throw new StatementError('malformed', `unexpected text '${value.slice(0, 40)}' inside <${current === top ? 'document' : current.name}>`, { line, element: current === top ? undefined : elementPath(current) });
    }
    current.text = (current.text ?? '') + decodeEntities(value);
  };

  // Pops the elements above stack[depth] as SGML leaves: an unclosed aggregate is an error (the
  // innermost one is reported), and an unknown element that gathered children was really an empty
  // leaf, so its children move up beside it. Each open element is the last child of the one below
  // it, so moving the children up one level at a time, innermost first, ends with the children of
  // all of them appended, in stack order, to stack[depth]: done that way, in one pass (moving them
  // level by level was quadratic in the depth).
  const closeAbove = (depth: number, reason: (inner: OfxNode) => string) => {
    for (let i = stack.length - 1; i > depth; i--) {
      const node = stack[i];
      if (node.text === undefined && AGGREGATES.has(node.name)) {
        throw new StatementError('malformed', reason(node), { line: node.line, element: elementPath(node) });
      }
    }
    const target = stack[depth];
    for (let i = depth + 1; i < stack.length; i++) {
      const node = stack[i];
      if (node.children.length > 0) {
        for (const c of node.children) { c.parent = target; target.children.push(c); }
        node.children = NO_CHILDREN;
      }
      if (node.text === undefined) node.text = '';
    }
    stack.length = depth + 1;
  };

  while (pos < text.length) {
    // A '<' not followed by a name, '/', '?' or '!' is text ('a < b'): SGML files do not always escape it.
    let lt = text.indexOf('<', pos);
    while (lt >= 0 && !isMarkupStart(text.charCodeAt(lt + 1))) lt = text.indexOf('<', lt + 1);
    if (lt < 0) { addText(text.slice(pos)); advance(text.length); break; }
    if (lt > pos) { const chunk = text.slice(pos, lt); advance(lt); addText(chunk); }
    const next = text[lt + 1];
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) throw new StatementError('malformed', 'comment is never closed', { line });
      advance(end + 3);
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) throw new StatementError('malformed', 'CDATA section is never closed', { line });
      const current = stack[stack.length - 1];
      if (current !== top && current.children.length === 0) current.text = (current.text ?? '') + text.slice(lt + 9, end);
      advance(end + 3);
      continue;
    }
    if (next === '?' || next === '!') {
      const end = text.indexOf('>', lt);
      if (end < 0) throw new StatementError('malformed', 'declaration is never closed', { line });
      // '\s[^?]*' rather than '\s+[^?]*', and names only from the start of a word: neither regex
      // can then retry a run of spaces or letters from each of its positions.
      const pi = /^<\?OFX(\s[^?]*)\?>$/i.exec(text.slice(lt, end + 1));
      if (pi) for (const [, k, v] of pi[1].matchAll(/(?<![A-Za-z])([A-Za-z]+)\s*=\s*["']([^"']*)["']/g)) header[k.toUpperCase()] = v;
      advance(end + 1);
      continue;
    }
    TAG.lastIndex = lt;
    const tag = TAG.exec(text);
    if (!tag) {
      throw new StatementError('malformed', `malformed tag '${text.slice(lt, lt + 30).split(/[\r\n]/)[0]}'`, { line });
    }
    const [whole, slash, rawName] = tag;
    const selfClose = whole.charCodeAt(whole.length - 2) === 47; // '<NAME/>', '<NAME attr="x" />'
    const name = rawName.toUpperCase();
    if (slash) {
      let depth = stack.length - 1;
      while (depth > 0 && stack[depth].name !== name) depth--;
      if (depth === 0) {
        const open = stack[stack.length - 1];
        throw new StatementError('malformed', `</${name}> does not close any open element${open !== top ? ` (the innermost open one is <${open.name}> from line ${open.line})` : ''}`, { line, element: open !== top ? elementPath(open) : undefined });
      }
      closeAbove(depth, (inner) => `<${inner.name}> is not closed before </${name}> on line ${line}`);
      const closed = stack.pop()!;
      if (closed.children.length === 0 && closed.text === undefined) closed.text = '';
    } else {
      let current = stack[stack.length - 1];
      if (current !== top && current.text !== undefined && current.children.length === 0) {
        if (AGGREGATES.has(current.name) && !LEAF_TOLERANT.has(current.name)) {
          throw new StatementError('malformed', `unexpected text '${current.text.slice(0, 40)}' inside <${current.name}>`, { line: current.line, element: elementPath(current) });
        }
        stack.pop(); // SGML leaf: '<TRNAMT>-6.60' ends where the next tag starts
        current = stack[stack.length - 1];
      }
      if (stack.length > maxDepth) {
        throw new StatementError('malformed', `<${name}> is nested more than ${maxDepth} elements deep (inside <${current.name}> from line ${current.line}); are elements left open?`, { line, element: elementPath(current) });
      }
      if (++elements > maxElements) {
        throw new StatementError('malformed', `<${name}> is element ${elements}: a file may have at most ${maxElements}`, { line, element: current !== top ? elementPath(current) : undefined });
      }
      const node: OfxNode = { name, line, children: NO_CHILDREN, parent: current };
      if (current.children === NO_CHILDREN) current.children = [node];
      else current.children.push(node);
      if (current === top && name === 'OFX') ofxSeen = true;
      if (selfClose) node.text = '';
      else stack.push(node);
    }
    advance(lt + whole.length);
  }

  closeAbove(0, (inner) => `<${inner.name}> is never closed: the file ends at line ${countLines(text.trimEnd(), 0, text.length) + 1}; is it cut short?`);
  const root = top.children.find((c) => c.name === 'OFX');
  if (!root) throw new StatementError('malformed', 'no <OFX> element found', { line: bodyLine });
  return { header, root };
}

// --- small helpers for reading the tree ----------------------------------------------------------

export function child(node: OfxNode | undefined, name: string): OfxNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function childText(node: OfxNode | undefined, name: string): string | undefined {
  const c = child(node, name);
  const t = c?.text;
  return t === undefined || t === '' ? undefined : t;
}

/** Every descendant named `name`, in document order (does not descend into matches). */
export function findAll(node: OfxNode, name: string, out: OfxNode[] = []): OfxNode[] {
  for (const c of node.children) {
    if (c.name === name) out.push(c);
    else if (c.children.length) findAll(c, name, out);
  }
  return out;
}
