import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { decodeStatement, decodeWarnings, detectFormat, parseStatement, StatementError } from './index.ts';

const fixture = (rel: string) => readFileSync(resolve(import.meta.dirname, '../test-fixtures', rel));
const utf8 = (s: string) => new TextEncoder().encode(s);
const detect = (rel: string) => detectFormat(decodeStatement(fixture(rel)).text, rel);

describe('decoding', () => {
  it('BOMs decide and are removed', () => {
    assert.deepEqual(pick(decodeStatement(fixture('own/utf8-bom.csv'))), ['utf-8', 'bom', 'Date,Amount']);
    assert.deepEqual(pick(decodeStatement(fixture('own/utf16le-bom.csv'))), ['utf-16le', 'bom', 'Date\tAmount']);
    assert.deepEqual(pick(decodeStatement(fixture('own/utf16be-bom.csv'))), ['utf-16be', 'bom', 'date,amount']);
  });

  it('UTF-16 without a BOM is recognised by its zero bytes', () => {
    const le = Buffer.from('date,amount\n2024-01-01,1\n', 'utf16le');
    assert.deepEqual(pick(decodeStatement(le)), ['utf-16le', 'detected', 'date,amount']);
    const be = Buffer.from(le).swap16();
    assert.deepEqual(pick(decodeStatement(be)), ['utf-16be', 'detected', 'date,amount']);
  });

  it('strict UTF-8 first, then Windows-1252', () => {
    assert.deepEqual(pick(decodeStatement(utf8('Café,1\n'))), ['utf-8', 'detected', 'Café,1']);
    const latin = decodeStatement(fixture('own/windows-1252.csv'));
    assert.equal(latin.encoding, 'windows-1252');
    assert.match(latin.text, /Café Rouge £/);
    assert.match(latin.text, /Euro € Shop/);
  });

  it('the override wins over detection; unknown labels are refused', () => {
    const forced = decodeStatement(fixture('own/windows-1252.csv'), { encoding: 'latin1' });
    assert.deepEqual([forced.encoding, forced.source], ['windows-1252', 'override']);
    const asUtf16 = decodeStatement(utf8('ab'), { encoding: 'utf-16le' });
    assert.equal(asUtf16.text, '\u6261');
    assert.throws(() => decodeStatement(utf8('x'), { encoding: 'klingon' }),
      (e: unknown) => e instanceof StatementError && e.code === 'bad-encoding' && e.message === "unknown encoding 'klingon'");
  });

  it('OFX headers and XML declarations are honoured', () => {
    assert.deepEqual(pick(decodeStatement(fixture('own/windows-1252.ofx'))).slice(0, 2), ['windows-1252', 'declared']);
    assert.deepEqual(pick(decodeStatement(fixture('shared/actual/utf-8.qfx'))).slice(0, 2), ['utf-8', 'declared']);
    const xmlLatin = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><OFX><NAME>Caf'), Buffer.from([0xe9]), Buffer.from('</NAME></OFX>')]);
    const d = decodeStatement(xmlLatin);
    assert.deepEqual([d.encoding, d.source], ['windows-1252', 'declared']);
    assert.match(d.text, /Café/);
  });

  it('U+0000 is removed after decoding, counted, with the line of the first; UTF-16 zero bytes are not NULs', () => {
    const d = decodeStatement(utf8('a,b\r\nc\u0000,d\u0000\u0000\n\u0000'));
    assert.deepEqual([d.text, d.nuls], ['a,b\r\nc,d\n', { count: 4, line: 2 }]);
    assert.deepEqual(decodeWarnings(d), [{ line: 2, reason: 'the file contains 4 NUL characters (U+0000), the first on this line; they were removed' }]);
    const le = decodeStatement(fixture('own/utf16le-bom.csv'));
    assert.deepEqual([le.nuls, decodeWarnings(le)], [undefined, []]);
    const withNul = decodeStatement(Buffer.from('date,payee\n2024-01-01,A\u0000B\n', 'utf16le'));
    assert.deepEqual([withNul.encoding, withNul.text, withNul.nuls], ['utf-16le', 'date,payee\n2024-01-01,AB\n', { count: 1, line: 2 }]);
    // parseStatement carries the warning with the statement (every format).
    const qif = parseStatement(utf8('!Type:Bank\nD2024-01-02\nT-1\nPA\u0000B\n^\n'));
    assert.deepEqual([qif.accounts[0].transactions[0].payee, qif.warnings.map((w) => w.line)], ['AB', [4]]);
  });
});

describe('format detection reads content, not names', () => {
  it('recognises every fixture', () => {
    assert.deepEqual(detect('shared/actual/data-payee-memo.ofx'), { format: 'ofx', ofxVersion: 1 });
    assert.deepEqual(detect('shared/actual/utf-8.qfx'), { format: 'qfx', ofxVersion: 1 });
    assert.deepEqual(detect('shared/ofxparse/fail_nice_decimal_error.ofx'), { format: 'ofx', ofxVersion: undefined });
    assert.deepEqual(detect('own/ofx2-creditcard.ofx'), { format: 'ofx', ofxVersion: 2 });
    assert.deepEqual(detect('shared/actual/data-payee-memo.qif'), { format: 'qif' });
    assert.deepEqual(detect('own/qif-multi-account.qif'), { format: 'qif' });
    assert.deepEqual(detect('own/semicolon-decimal-comma.csv'), { format: 'csv' });
    assert.deepEqual(detect('own/utf16le-bom.csv'), { format: 'csv' });
  });

  it('a misnamed file is still read for what it is', () => {
    const qif = decodeStatement(fixture('shared/actual/data-payee-memo.qif')).text;
    assert.equal(detectFormat(qif, 'statement.csv').format, 'qif');
    const ofx = decodeStatement(fixture('shared/ofxparse/checking.ofx')).text;
    assert.equal(detectFormat(ofx, 'download.txt').format, 'qfx'); // it carries <INTU.BID>
    assert.equal(detectFormat('D01/02/2024\nT-5.00\nPShop\n^\n', 'export.qif').format, 'qif'); // no !Type line
  });

  it('says what it found when it cannot read a file', () => {
    assert.throws(() => detectFormat('%PDF-1.7 binary junk', 'statement.pdf'),
      (e: unknown) => e instanceof StatementError && e.code === 'unknown-format' &&
        e.message === "line 1: not a statement this importer reads (OFX, QFX, QIF or CSV); the file starts with '%PDF-1.7 binary junk'");
    assert.throws(() => detectFormat('  \n'), (e: unknown) => e instanceof StatementError && e.code === 'empty');
  });
});

function pick(d: ReturnType<typeof decodeStatement>): [string, string, string] {
  return [d.encoding, d.source, d.text.split(/\r?\n/)[0].split(/[,\t]/).slice(0, 2).join(d.text.includes('\t') ? '\t' : ',')];
}
