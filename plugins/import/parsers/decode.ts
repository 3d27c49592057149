// Bytes -> text. Order of trust: the caller's override, a byte-order mark, what the file declares
// (OFX 1.x ENCODING/CHARSET header, OFX 2.x XML declaration), then detection: UTF-16 by its zero
// bytes, strict UTF-8, and finally Windows-1252 (which decodes any byte, so it is the last resort).
// WHATWG TextDecoder (full ICU in Node) does the decoding; no extra dependency needed.

import { StatementError } from './errors.ts';
import type { RowIssue } from './types.ts';

export interface Decoded {
  text: string;
  /** WHATWG name of the encoding used: 'utf-8', 'windows-1252', 'utf-16le'... */
  encoding: string;
  /** How the encoding was chosen. */
  source: 'override' | 'bom' | 'declared' | 'detected';
  bom: boolean;
  /** Set when the declared charset was not believable and detection won (shown to the user). */
  warning?: string;
  /** U+0000 characters removed from the text: how many, and the line of the first. */
  nuls?: { count: number; line: number };
}

export interface DecodeOptions {
  /** Any WHATWG label ('utf-8', 'windows-1252', 'latin1', 'utf-16le'...) or 'auto' (default). */
  encoding?: string;
}

/**
 * The text with every U+0000 removed. NUL means nothing in OFX, QIF or CSV text (some bank exports
 * pad fields or the file's end with it), and PostgreSQL text and jsonb cannot hold it: kept, it
 * would fail the import when the preview or the ledger row is stored. Removed after decoding, so
 * UTF-16's zero bytes are never touched; the caller shows a warning (decodeWarnings).
 */
export function decodeStatement(bytes: Uint8Array, options: DecodeOptions = {}): Decoded {
  const decoded = decodeBytes(bytes, options);
  const first = decoded.text.indexOf('\u0000');
  if (first < 0) return decoded;
  const text = decoded.text.replaceAll('\u0000', '');
  const line = decoded.text.slice(0, first).split(/\r\n|\n|\r/).length;
  return { ...decoded, text, nuls: { count: decoded.text.length - text.length, line } };
}

/** What decoding has to tell the user, as statement warnings. */
export function decodeWarnings(decoded: Decoded): RowIssue[] {
  const out: RowIssue[] = [];
  if (decoded.warning) out.push({ line: 1, reason: decoded.warning });
  if (decoded.nuls) {
    const n = decoded.nuls.count;
    out.push({ line: decoded.nuls.line, reason: `the file contains ${n} NUL character${n === 1 ? '' : 's'} (U+0000), the first on this line; ${n === 1 ? 'it was' : 'they were'} removed` });
  }
  return out;
}

function decodeBytes(bytes: Uint8Array, options: DecodeOptions): Decoded {
  const override = options.encoding && options.encoding.toLowerCase() !== 'auto' ? options.encoding : undefined;
  const bom = sniffBom(bytes);
  if (override) {
    const encoding = normalizeLabel(override);
    const skip = bom && bom.encoding === encoding ? bom.length : 0;
    return { text: decodeWith(bytes.subarray(skip), encoding, true), encoding, source: 'override', bom: skip > 0 };
  }
  if (bom) {
    return { text: decodeWith(bytes.subarray(bom.length), bom.encoding, true), encoding: bom.encoding, source: 'bom', bom: true };
  }
  const utf16 = sniffUtf16(bytes);
  if (utf16) return { text: decodeWith(bytes, utf16, true), encoding: utf16, source: 'detected', bom: false };

  const declared = declaredEncoding(bytes);
  const utf8 = tryUtf8(bytes);
  if (declared) {
    const encoding = safeLabel(declared);
    if (encoding === 'utf-8') {
      if (utf8 !== undefined) return { text: utf8, encoding, source: 'declared', bom: false };
      return {
        text: decodeWith(bytes, 'windows-1252', false), encoding: 'windows-1252', source: 'detected', bom: false,
        warning: `the file declares UTF-8 but is not valid UTF-8; read as Windows-1252`,
      };
    }
    if (encoding) {
      // Banks often declare CHARSET:1252 and send UTF-8. Valid UTF-8 with multi-byte sequences
      // is almost never accidental in single-byte text, so believe the bytes over the header.
      if (utf8 !== undefined && hasNonAscii(bytes) && isSingleByte(encoding)) {
        return {
          text: utf8, encoding: 'utf-8', source: 'detected', bom: false,
          warning: `the file declares ${declared} but its bytes are UTF-8; read as UTF-8`,
        };
      }
      return { text: decodeWith(bytes, encoding, false), encoding, source: 'declared', bom: false };
    }
  }
  const warning = declared ? `the file declares the unsupported charset '${declared}'; the encoding was detected instead` : undefined;
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8', source: 'detected', bom: false, warning };
  return { text: decodeWith(bytes, 'windows-1252', false), encoding: 'windows-1252', source: 'detected', bom: false, warning };
}

function sniffBom(b: Uint8Array): { encoding: string; length: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** UTF-16 without a BOM: text in Latin scripts has a zero byte in every other position. */
function sniffUtf16(b: Uint8Array): string | undefined {
  const n = Math.min(b.length - (b.length % 2), 1024);
  if (n < 4) return undefined;
  let evenZeros = 0, oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return undefined;
}

function tryUtf8(b: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
  } catch {
    return undefined;
  }
}

function hasNonAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) return true;
  return false;
}

function isSingleByte(encoding: string): boolean {
  return !/^(utf-|gbk|gb18030|big5|euc-|shift_jis|iso-2022)/.test(encoding);
}

function decodeWith(b: Uint8Array, encoding: string, fatal: boolean): string {
  try {
    return new TextDecoder(encoding, { fatal, ignoreBOM: true }).decode(b);
  } catch {
    // Say where: the first replacement character of a lenient decode marks the bad bytes.
    const lenient = new TextDecoder(encoding, { ignoreBOM: true }).decode(b);
    const at = lenient.indexOf('\uFFFD');
    const line = at < 0 ? undefined : lenient.slice(0, at).split(/\r\n|\n|\r/).length;
    throw new StatementError('bad-encoding', `the file is not valid ${encoding}; choose another encoding`, { line });
  }
}

function safeLabel(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

function normalizeLabel(label: string): string {
  const encoding = safeLabel(label);
  if (!encoding) throw new StatementError('bad-encoding', `unknown encoding '${label}'`);
  return encoding;
}

/**
 * The encoding a statement declares in its first bytes (which are ASCII in every OFX version):
 * OFX 1.x 'ENCODING:UTF-8' / 'CHARSET:1252', or OFX 2.x '<?xml ... encoding="UTF-8"?>'.
 */
export function declaredEncoding(b: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(b.subarray(0, 2048));
  const xml = /<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml) return xml[1];
  if (/<\?xml/i.test(head)) return 'utf-8'; // XML without a declaration is UTF-8
  if (!/^\s*OFXHEADER\s*:/i.test(head)) return undefined;
  const enc = /^\s*ENCODING\s*:\s*(\S+)/im.exec(head)?.[1].toUpperCase();
  const charset = /^\s*CHARSET\s*:\s*(\S+)/im.exec(head)?.[1].toUpperCase();
  if (enc === 'UTF-8' || enc === 'UNICODE') return 'utf-8';
  if (!charset || charset === 'NONE') return enc === 'USASCII' ? 'windows-1252' : undefined;
  if (/^\d+$/.test(charset)) return charset === '1252' ? 'windows-1252' : `windows-${charset}`;
  return charset.toLowerCase();
}
