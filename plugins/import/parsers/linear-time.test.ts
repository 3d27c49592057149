// Uploads are parsed on the server's one event loop, so parsing must take time linear in the file
// whatever it holds. Each input below made the parser backtrack or rescan (quadratic or
// exponential: from about ten seconds to minutes, blocking every other request meanwhile). They
// run in a worker so that a regression fails at the deadline (a blocked thread could not be timed
// out) instead of hanging the tests, as plugins/rules/engine/linear-regex.test.ts does; parsing
// them now takes milliseconds to a second, and no test measures time itself.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { parseCsv, parseDateWithFormat, StatementError } from './index.ts';
import { MAX_DEPTH, MAX_ELEMENTS, parseOfxTree } from './ofx-tree.ts';

const DEADLINE_MS = 15_000;

type Outcome =
  | { value: any; error?: undefined }
  | { value?: undefined; error: { name: string; code?: string; message: string; line?: number; element?: string } };

/**
 * Calls parseStatement or parseDateWithFormat (from index.ts) in a worker; rejects past the
 * deadline. `project` (a function's source) picks what to send back from a large result.
 */
async function inWorker(call: 'parseStatement' | 'parseDateWithFormat', args: unknown[], project = '(v) => v'): Promise<Outcome> {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.parsers).then((p) => {
      let outcome;
      try { outcome = { value: (0, eval)(workerData.project)(p[workerData.call](...workerData.args)) }; }
      catch (e) { outcome = { error: { name: e.name, code: e.code, message: e.message, line: e.line, element: e.element } }; }
      parentPort.postMessage(outcome);
    });`, { eval: true, workerData: { parsers: new URL('./index.ts', import.meta.url).href, call, args, project } });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${call} still running after ${DEADLINE_MS / 1000} s: not linear`)), DEADLINE_MS);
  });
  try {
    return await Promise.race([once(worker, 'message').then(([m]) => m as Outcome), deadline]);
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

const H = 'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n';
const bytes = (s: string) => new TextEncoder().encode(s);
const statement = (s: string, project?: string) => inWorker('parseStatement', [bytes(s)], project);
const STMT = '<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKACCTFROM><ACCTID>1</BANKACCTFROM></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>';

describe('OFX parsing is linear in the file', () => {
  it('50,000 unclosed elements inside one another (150 KB) stop at the nesting limit, with the line', async () => {
    // Each unclosed unknown element nested the next; closing them moved children up one level at a time.
    const { error } = await statement(`${H}<OFX>${'<X>'.repeat(50_000)}</OFX>`);
    assert.deepEqual(error, {
      name: 'StatementError', code: 'malformed', line: 5, element: `OFX${'/X'.repeat(MAX_DEPTH - 1)}`,
      message: `line 5: <X> is nested more than ${MAX_DEPTH} elements deep (inside <X> from line 5); are elements left open?`,
    });
  });

  it('up to the limit, unclosed empty elements still read as before: empty leaves side by side', () => {
    const { root } = parseOfxTree(`${H}<OFX>${'<X>'.repeat(MAX_DEPTH - 1)}</OFX>`);
    assert.equal(root.children.length, MAX_DEPTH - 1);
    assert.ok(root.children.every((c) => c.name === 'X' && c.text === '' && c.children.length === 0 && c.parent === root));
    assert.throws(() => parseOfxTree(`${H}<OFX>${'<X>'.repeat(MAX_DEPTH)}</OFX>`), (e) => e instanceof StatementError && e.line === 5);
  });

  it('the element limit gives the same kind of error, at the element past it', () => {
    const e = (() => { try { parseOfxTree(`${H}<OFX>\n<BANKMSGSRSV1>\n${'<A>1\n'.repeat(20)}</BANKMSGSRSV1></OFX>`, { maxElements: 12 }); } catch (err) { return err; } })();
    assert.ok(e instanceof StatementError);
    assert.deepEqual([e.code, e.line, e.element, e.message], ['malformed', 17, 'OFX/BANKMSGSRSV1', 'line 17: <A> is element 13: a file may have at most 12']);
    assert.equal(MAX_ELEMENTS, Math.floor((45 * 1024 * 1024) / 12));
  });

  it('a tag never closed, before 500,000 spaces or with a 500,000-letter name, is a malformed tag', async () => {
    const spaces = await statement(`<OFX><A${' '.repeat(500_000)}`);
    assert.deepEqual([spaces.error?.code, spaces.error?.message], ['malformed', `line 1: malformed tag '<A${' '.repeat(28)}'`]);
    const name = await statement(`<OFX><${'A'.repeat(500_000)}`);
    assert.deepEqual([name.error?.code, name.error?.message], ['malformed', `line 1: malformed tag '<${'A'.repeat(29)}'`]);
  });

  it('a statement written on one line: 80,000 transactions, all read, all on line 5', async () => {
    // The line counter searched for the next newline from every tag: to the end of the file, each time.
    const trns = Array.from({ length: 80_000 }, (_, i) => `<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240102<TRNAMT>-${i % 100}.50<FITID>F${i}<NAME>Payee ${i}</STMTTRN>`);
    const { value, error } = await statement(`${H}<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>42</BANKACCTFROM><BANKTRANLIST>${trns.join('')}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`,
      '(st) => { const txs = st.accounts[0].transactions; return { count: txs.length, last: txs.at(-1), rowErrors: st.rowErrors.length }; }');
    assert.equal(error, undefined);
    assert.deepEqual([value.count, value.rowErrors], [80_000, 0]);
    assert.deepEqual([value.last.line, value.last.date, value.last.amount, value.last.externalId, value.last.payee], [5, '2024-01-02', '-99.50', 'F79999', 'Payee 79999']);
  });

  it('50,000 statements and 80,000 bad positions: each element path is found without rescanning its siblings', async () => {
    const stmts = await statement(`${H}<OFX><BANKMSGSRSV1>${'<STMTTRNRS><STMTRS><BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST><DTSTART>x</BANKTRANLIST></STMTRS></STMTTRNRS>'.repeat(50_000)}</BANKMSGSRSV1></OFX>`,
      '(st) => ({ accounts: st.accounts.length, warnings: st.warnings.length, last: st.warnings.at(-1) })');
    assert.deepEqual([stmts.value.accounts, stmts.value.warnings], [50_000, 50_000]);
    assert.deepEqual(stmts.value.last, {
      line: 5, element: 'OFX/BANKMSGSRSV1/STMTTRNRS[50000]/STMTRS/BANKTRANLIST',
      reason: "DTSTART 'x' is not a valid date (expected YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]])",
    });
    const positions = await statement(`${H}<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><INVACCTFROM><ACCTID>1</INVACCTFROM><INVPOSLIST>${'<POSSTOCK></POSSTOCK>'.repeat(80_000)}</INVPOSLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>`,
      '(st) => ({ rowErrors: st.rowErrors.length, last: st.rowErrors.at(-1) })');
    assert.equal(positions.value.rowErrors, 80_000);
    assert.deepEqual(positions.value.last, {
      line: 5, reason: 'SECID is missing; UNITS is missing', element: 'OFX/INVSTMTMSGSRSV1/INVSTMTTRNRS/INVSTMTRS/INVPOSLIST/POSSTOCK[80000]',
    });
  });

  it('long runs of spaces or letters in header lines and <?OFX ...?> are read once', async () => {
    const header = await statement(`${H.trim()}\nA: x${' '.repeat(300_000)}y\n\n${STMT}`);
    assert.deepEqual([header.value?.version, header.value?.accounts.length], ['102', 1]);
    const piSpaces = await statement(`${H}<?OFX${' '.repeat(400_000)}>${STMT}`);
    assert.deepEqual([piSpaces.value?.version, piSpaces.value?.accounts.length], ['102', 1]);
    const piLetters = await statement(`${H}<?OFX ${'A'.repeat(300_000)} VERSION="220"?>${STMT}`);
    assert.deepEqual([piLetters.value?.version, piLetters.value?.accounts.length], ['220', 1]);
  });

  it('text after <OFX> among 300,000 other top-level elements is skipped without searching for <OFX> each time', async () => {
    const { value, error } = await statement(`${H}${'<A/>'.repeat(150_000)}${STMT}${'x<B/>'.repeat(150_000)}`);
    assert.equal(error, undefined);
    assert.equal(value.accounts.length, 1);
  });
});

describe('CSV date formats are linear in the cell', () => {
  const cell = `1${' '.repeat(40)}x`;

  it('many spaces in a format, or commas between them, on a cell of spaces', async () => {
    // Each space was its own \s+ (and each comma ',?'): every way of sharing out the cell's spaces was tried.
    for (const format of [`D${' '.repeat(12)}M YYYY`, `D${' ,'.repeat(12)} M YYYY`, `D${' '.repeat(13)}MMM YYYY`]) {
      assert.deepEqual(await inWorker('parseDateWithFormat', [cell, format]), { value: { ok: false, reason: `does not match ${format}` } }, format);
    }
  });

  it('many commas in a format on a cell of commas', async () => {
    const format = `D${','.repeat(36)} M YYYY`;
    assert.deepEqual(await inWorker('parseDateWithFormat', [`1${','.repeat(18)}x`, format]), { value: { ok: false, reason: `does not match ${format}` } });
  });

  it('such formats still read ordinary dates, whatever the number of spaces', () => {
    const ok = (raw: string, f: string) => { const r = parseDateWithFormat(raw, f); return r.ok ? r.value : `ERR ${r.reason}`; };
    const spaced = `D${' '.repeat(12)}MMM  YYYY`;
    assert.equal(ok('1 Mar 2026', spaced), '2026-03-01');
    assert.equal(ok('1     Mar   2026', spaced), '2026-03-01');
    assert.equal(ok('01 March 2026 13:45', spaced), '2026-03-01');
    assert.equal(ok(`1${' '.repeat(10)}3 2026`, `D${' '.repeat(10)}M YYYY`), '2026-03-01');
    assert.equal(ok('1 , 3 2026', 'D , M YYYY'), '2026-03-01');
    assert.equal(ok('1 3 2026', 'D , M YYYY'), '2026-03-01');
    assert.equal(ok('Mar 1, 2026', ' MMM D, YYYY '), '2026-03-01');
    assert.equal(ok('Mar 1 2026', 'MMM D, YYYY'), '2026-03-01');
    assert.equal(ok('02 Jan. 2024', 'DD MMM. YYYY'), '2024-01-02');
    assert.equal(ok('0102.2024', 'DDMM.YYYY'), '2024-02-01');
    assert.equal(ok('1 Mar 2026x', spaced), `ERR does not match ${spaced}`);
  });

  it('a date cell longer than 100 characters is a row error of its line, the others are read', () => {
    const long = `2024-01-02 ${'x'.repeat(150)}`;
    const st = parseCsv(`date,amount,payee\n2024-01-03,1.00,A\n"${long}",2.00,B\n`, {
      dateColumn: 'date', dateFormat: 'YYYY-MM-DD', amountColumn: 'amount', payeeColumn: 'payee',
      decimalSeparator: '.', sign: 'as-is', hasHeader: true, delimiter: 'auto', encoding: 'auto',
    });
    assert.deepEqual(st.accounts[0].transactions.map((t) => t.date), ['2024-01-03']);
    assert.deepEqual(st.rowErrors, [{ line: 3, reason: `date '${long.slice(0, 40)}…' is not a valid date (161 characters long; a date has at most 100)` }]);
  });
});
