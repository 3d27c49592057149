// Guessing the shape of a CSV before any mapping exists: the delimiter (',' ';' tab '|') and how
// many preamble lines (account number, export date...) sit above the real table. Both from the
// first lines only, with a quote-aware count so '"Smith, J"' does not count as two fields.

export type CsvDelimiter = ',' | ';' | '\t' | '|';
export const DELIMITERS: CsvDelimiter[] = [',', ';', '\t', '|'];

/**
 * Field counts of the first `maxRecords` records for one delimiter (quoted newlines respected).
 * With `ignoreTrailingEmpty`, a record counts up to its last non-empty field, so 'a,b,c,' and
 * 'a,b,c' agree (banks often end data rows, but not headers, with a delimiter).
 */
function fieldCounts(text: string, delimiter: string, maxRecords: number, ignoreTrailingEmpty = false): number[] {
  const counts: number[] = [];
  let fields = 1, lastFilled = 0, quoted = false;
  const end = () => { counts.push(ignoreTrailingEmpty ? lastFilled : lastFilled === 0 ? 0 : fields); fields = 1; lastFilled = 0; };
  for (let i = 0; i < text.length && counts.length < maxRecords; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') { if (text[i + 1] === '"') i++; else quoted = false; }
      continue;
    }
    if (ch === '"') { quoted = true; lastFilled = fields; }
    else if (ch === delimiter) fields++;
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      end();
    } else if (ch !== ' ' && ch !== '\t') lastFilled = fields;
  }
  if (lastFilled > 0 && counts.length < maxRecords) end();
  return counts;
}

function mode(values: number[]): { value: number; share: number } {
  const tally = new Map<number, number>();
  for (const v of values) if (v > 0) tally.set(v, (tally.get(v) ?? 0) + 1);
  let best = 0, bestCount = 0;
  for (const [v, c] of tally) if (c > bestCount || (c === bestCount && v > best)) { best = v; bestCount = c; }
  const nonEmpty = values.filter((v) => v > 0).length;
  return { value: best, share: nonEmpty ? bestCount / nonEmpty : 0 };
}

/**
 * The delimiter that splits the most lines into the same number (> 1) of fields; on a tie the one
 * giving more fields wins, so '2024-01-02;-12,50;Shop' picks ';' over the decimal comma.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const sample = text.slice(0, 64 * 1024);
  let best: { d: CsvDelimiter; share: number; fields: number } | undefined;
  for (const d of DELIMITERS) {
    const counts = fieldCounts(sample, d, 50);
    const m = mode(counts);
    if (m.value < 2) continue;
    const score = { d, share: Math.round(m.share * 20) / 20, fields: m.value };
    if (!best || score.share > best.share || (score.share === best.share && score.fields > best.fields)) best = score;
  }
  return best?.d ?? ',';
}

/**
 * Lines above the table: records before the first one that has the table's usual field count
 * (e.g. 'Account: 12345' / 'Exported 2024-01-31' above 'Date,Amount,Payee').
 */
export function detectPreamble(text: string, delimiter: string): number {
  const counts = fieldCounts(text.slice(0, 64 * 1024), delimiter, 50, true);
  const m = mode(counts);
  if (m.value < 2) return 0;
  // A table line has (nearly) the usual count: a header may lack a name for one odd column.
  const first = counts.findIndex((c) => c >= Math.max(2, Math.ceil(m.value * 0.75)));
  // Preamble lines are single-line records, so the record index is the physical line count.
  return first <= 0 ? 0 : first;
}
