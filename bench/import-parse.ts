// Statement parsing speed on large files (pure CPU, no database): a generated 100k-row CSV through
// the whole mapping path (sample, suggest, parse), and 100k-transaction OFX and QIF files.
// Run alone: `node bench/import-parse.ts [rows]`. It fits the bench framework's Bench shape, so a
// *.bench.ts file can re-export `importParse` to include it in `npm run bench`.
import { parseCsv, parseStatement, sampleCsv, suggestMapping } from '../plugins/import/parsers/index.ts';
import type { BenchResult } from './framework.ts';

const PAYEES = ['Coffee Corner', 'GROCERY MART #1123', '"Smith, John"', 'Utility Co', 'Café Zoë', 'Amazon Marketplace'];

function day(i: number): string {
  const d = new Date(Date.UTC(2020, 0, 1) + (i % 1500) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

function amount(i: number): string {
  const cents = ((i * 7919) % 200_000) - 150_000;
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function generateCsv(rows: number): Uint8Array {
  const lines = ['Date,Amount,Payee,Memo'];
  for (let i = 0; i < rows; i++) lines.push(`${day(i)},${amount(i)},${PAYEES[i % PAYEES.length]},ref ${i}`);
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

export function generateOfx(rows: number): Uint8Array {
  const parts = ['OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n',
    '<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>42<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\n'];
  for (let i = 0; i < rows; i++) {
    parts.push(`<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>${day(i).replaceAll('-', '')}120000[-5:EST]\n<TRNAMT>${amount(i)}\n<FITID>F${i}\n<NAME>${PAYEES[i % PAYEES.length].replaceAll('"', '')}\n<MEMO>ref ${i}\n</STMTTRN>\n`);
  }
  parts.push('</BANKTRANLIST><LEDGERBAL><BALAMT>1.00<DTASOF>20240101</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n');
  return new TextEncoder().encode(parts.join(''));
}

export function generateQif(rows: number): Uint8Array {
  const parts = ['!Type:Bank\n'];
  for (let i = 0; i < rows; i++) {
    const [y, m, d] = day(i).split('-');
    parts.push(`D${m}/${d}/${y}\nT${amount(i)}\nP${PAYEES[i % PAYEES.length]}\nMref ${i}\n^\n`);
  }
  return new TextEncoder().encode(parts.join(''));
}

// CPU time of this process rather than wall time: on a shared 2-core machine the wall clock
// mostly measures the neighbours. (Wall time is reported too, in the note.)
function timed<T>(fn: () => T): { ms: number; wallMs: number; value: T } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { ms: (used.user + used.system) / 1000, wallMs: performance.now() - started, value };
}

/** Parses generated files of `rows` rows; returns throughput per format. */
export async function importParse(rows: unknown = 100_000): Promise<BenchResult[]> {
  const n = typeof rows === 'number' ? rows : 100_000;
  const results: BenchResult[] = [];
  const csv = generateCsv(n);
  const csvRun = timed(() => {
    const sample = sampleCsv(csv);
    const { mapping } = suggestMapping(sample.headers, sample.sampleRows);
    return parseCsv(csv, mapping);
  });
  const csvCount = csvRun.value.accounts[0].transactions.length;
  if (csvCount !== n || csvRun.value.rowErrors.length) throw new Error(`CSV: parsed ${csvCount} of ${n} rows, ${csvRun.value.rowErrors.length} errors`);
  results.push(
    { metric: `CSV ${n} rows (${(csv.length / 2 ** 20).toFixed(1)} MiB): sample+suggest+parse`, value: csvRun.ms, unit: 'ms cpu', better: 'lower', note: `${csvRun.wallMs.toFixed(0)} ms wall` },
    { metric: 'CSV throughput', value: n / (csvRun.ms / 1000), unit: 'rows/s', better: 'higher' },
  );
  for (const [label, bytes] of [['OFX', generateOfx(n)], ['QIF', generateQif(n)]] as const) {
    const run = timed(() => parseStatement(bytes));
    const count = run.value.accounts[0].transactions.length;
    if (count !== n || run.value.rowErrors.length) throw new Error(`${label}: parsed ${count} of ${n} rows`);
    results.push(
      { metric: `${label} ${n} transactions (${(bytes.length / 2 ** 20).toFixed(1)} MiB)`, value: run.ms, unit: 'ms cpu', better: 'lower', note: `${run.wallMs.toFixed(0)} ms wall` },
      { metric: `${label} throughput`, value: n / (run.ms / 1000), unit: 'rows/s', better: 'higher' },
    );
  }
  results.push({ metric: 'peak resident memory of the process', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB', better: 'lower' });
  return results;
}

if (import.meta.main) {
  const rows = Number(process.argv[2] ?? 100_000);
  for (const r of await importParse(rows)) {
    console.log(`${r.metric.padEnd(58)} ${r.value.toFixed(r.unit === 'rows/s' ? 0 : 1).padStart(10)} ${r.unit.padEnd(7)} ${r.note ?? ''}`);
  }
}
