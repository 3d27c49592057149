// Which parser a file needs, judged by its content; the file name only breaks ties. Banks name
// files badly (.txt, .dat, .ofx holding QIF), so the extension alone is never trusted.

import { StatementError } from './errors.ts';
import type { StatementFormat } from './types.ts';

export interface Detected {
  format: StatementFormat;
  /** OFX only: 1 = SGML (OFXHEADER:100), 2 = XML (<?OFX OFXHEADER="200"?>), undefined if headerless. */
  ofxVersion?: 1 | 2;
}

const QIF_HEADER = /^!(Type|Account|Option|Clear)\b/i;

export function detectFormat(text: string, filename?: string): Detected {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start === '') throw new StatementError('empty', 'the file is empty');
  const head = start.slice(0, 4096);
  const ext = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];

  const ofxVersion = /^OFXHEADER\s*:\s*1/i.test(head) ? 1 as const
    : /<\?OFX\b[^>]*OFXHEADER\s*=\s*["']?2/i.test(head) ? 2 as const : undefined;
  if (ofxVersion || /<OFX>/i.test(head) || /^OFXHEADER\s*:/i.test(head)) {
    // QFX is OFX carrying Intuit's extension elements (INTU.BID, INTU.USERID...).
    // The .qfx name counts too: Quicken-bound files without Intuit tags are still called QFX.
    const qfx = /<INTU\./i.test(text) || ext === 'qfx';
    return { format: qfx ? 'qfx' : 'ofx', ofxVersion };
  }
  if (QIF_HEADER.test(head)) return { format: 'qif' };
  if (looksLikeHeaderlessQif(head) && (ext === 'qif' || ext === undefined || ext === 'txt')) return { format: 'qif' };
  if (looksDelimited(head)) return { format: 'csv' };
  if (ext === 'csv' || ext === 'tsv') return { format: 'csv' };
  const firstLine = head.split(/\r?\n/, 1)[0].slice(0, 60);
  throw new StatementError('unknown-format',
    `not a statement this importer reads (OFX, QFX, QIF or CSV); the file starts with '${firstLine}'`, { line: 1 });
}

/** QIF exported without its '!Type:' line: every line starts with a field letter, records end in '^'. */
function looksLikeHeaderlessQif(head: string): boolean {
  const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 40);
  if (lines.length < 2 || !lines.some((l) => l.trim() === '^')) return false;
  return lines.every((l) => /^[\^DTUPMNLCAS$EQIYO]/.test(l));
}

/** Several lines with the same non-zero count of one delimiter (outside quotes). */
function looksDelimited(head: string): boolean {
  const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 10);
  if (lines.length === 1) return /[,;\t|]/.test(lines[0]);
  return [',', ';', '\t', '|'].some((d) => {
    const counts = lines.map((l) => l.split(d).length - 1);
    return counts[0] > 0 && counts.filter((c) => c === counts[0]).length >= Math.ceil(lines.length / 2);
  });
}
