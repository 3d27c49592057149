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

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9._:-]*)\s*([^<>]*?)(\/?)>/y;

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

/** 'OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN[2]/DTPOSTED' */
export function elementPath(node: OfxNode): string {
  const parts: string[] = [];
  for (let n: OfxNode | undefined = node; n && n.name !== '#root'; n = n.parent) {
    const same = n.parent ? n.parent.children.filter((c) => c.name === n!.name) : [n];
    parts.push(same.length > 1 ? `${n.name}[${same.indexOf(n) + 1}]` : n.name);
  }
  return parts.reverse().join('/');
}

function parseHeader(text: string): { header: Record<string, string>; bodyStart: number; bodyLine: number } {
  const header: Record<string, string> = {};
  const first = text.indexOf('<');
  const pre = first < 0 ? text : text.slice(0, first);
  for (const raw of pre.split(/\r?\n|\r/)) {
    const m = /^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/.exec(raw);
    if (m) header[m[1].toUpperCase()] = m[2];
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

export function parseOfxTree(text: string): OfxTree {
  const { header, bodyStart, bodyLine } = parseHeader(text);
  const top: OfxNode = { name: '#root', line: 1, children: [] };
  const stack: OfxNode[] = [top];
  let line = bodyLine;
  let pos = bodyStart;
  const advance = (to: number) => { line += countLines(text, pos, to); pos = to; };

  const addText = (raw: string) => {
    const value = raw.trim();
    if (value === '') return;
    const current = stack[stack.length - 1];
    // Text after the <OFX> element (some servers append a trailer) is not part of the statement.
    if (current === top && top.children.some((c) => c.name === 'OFX')) return;
    if (current === top || current.children.length > 0) {
      throw new StatementError('malformed', `unexpected text '${value.slice(0, 40)}' inside <${current === top ? 'document' : current.name}>`, { line, element: current === top ? undefined : elementPath(current) });
    }
    current.text = (current.text ?? '') + decodeEntities(value);
  };

  // Pops `node` off the stack as an SGML leaf; an unclosed aggregate is an error, and an unknown
  // element that gathered children was really an empty leaf, so its children move up beside it.
  const closeImplicitly = (node: OfxNode, reason: () => string) => {
    if (node.text === undefined && AGGREGATES.has(node.name)) {
      throw new StatementError('malformed', reason(), { line: node.line, element: elementPath(node) });
    }
    if (node.children.length > 0 && node.parent) {
      const siblings = node.parent.children;
      siblings.splice(siblings.indexOf(node) + 1, 0, ...node.children);
      for (const c of node.children) c.parent = node.parent;
      node.children = NO_CHILDREN;
    }
    if (node.text === undefined) node.text = '';
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
      const pi = /^<\?OFX\s+([^?]*)\?>$/i.exec(text.slice(lt, end + 1));
      if (pi) for (const [, k, v] of pi[1].matchAll(/([A-Za-z]+)\s*=\s*["']([^"']*)["']/g)) header[k.toUpperCase()] = v;
      advance(end + 1);
      continue;
    }
    TAG.lastIndex = lt;
    const tag = TAG.exec(text);
    if (!tag) {
      throw new StatementError('malformed', `malformed tag '${text.slice(lt, lt + 30).split(/[\r\n]/)[0]}'`, { line });
    }
    const [whole, slash, rawName, , selfClose] = tag;
    const name = rawName.toUpperCase();
    if (slash) {
      let depth = stack.length - 1;
      while (depth > 0 && stack[depth].name !== name) depth--;
      if (depth === 0) {
        const open = stack[stack.length - 1];
        throw new StatementError('malformed', `</${name}> does not close any open element${open !== top ? ` (the innermost open one is <${open.name}> from line ${open.line})` : ''}`, { line, element: open !== top ? elementPath(open) : undefined });
      }
      const closeLine = line;
      while (stack.length - 1 > depth) {
        const inner = stack.pop()!;
        closeImplicitly(inner, () => `<${inner.name}> is not closed before </${name}> on line ${closeLine}`);
      }
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
      const node: OfxNode = { name, line, children: NO_CHILDREN, parent: current };
      if (current.children === NO_CHILDREN) current.children = [node];
      else current.children.push(node);
      if (selfClose) node.text = '';
      else stack.push(node);
    }
    advance(lt + whole.length);
  }

  while (stack.length > 1) {
    const inner = stack.pop()!;
    closeImplicitly(inner, () => `<${inner.name}> is never closed: the file ends at line ${countLines(text.trimEnd(), 0, text.length) + 1}; is it cut short?`);
  }
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
