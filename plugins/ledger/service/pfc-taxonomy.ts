// Plaid's personal finance category taxonomy, read from the plugin's own copy (data/pfc-taxonomy.csv)
// so the ledger does not depend on files outside plugins/ledger at run time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type PfcEntry = { primary: string; detailed: string };
export type PfcTaxonomy = {
  /** v2 codes in the file's order. */
  entries: PfcEntry[];
  /** v1 detailed codes that v2 renamed → their v2 code (e.g. INCOME_WAGES → INCOME_SALARY). */
  v1Aliases: Map<string, string>;
};

export const PFC_CSV_PATH = join(import.meta.dirname, '..', 'data', 'pfc-taxonomy.csv');

const CODE = /^[A-Z][A-Z_]+$/;

export function parsePfcTaxonomy(csv: string): PfcTaxonomy {
  const entries: PfcEntry[] = [];
  const v1Aliases = new Map<string, string>();
  for (const line of csv.split(/\r?\n/)) {
    const [primary = '', detailed = '', , v1Primary = '', v1Detailed = ''] = line.split(',').map((c) => c.trim());
    // Skips the header, the explanatory note and blank lines: only rows of codes count.
    if (!CODE.test(primary) || !CODE.test(detailed)) continue;
    entries.push({ primary, detailed });
    // A v1 cell holding several codes ("A / B") describes a split, not a rename: not an alias.
    if (CODE.test(v1Primary) && CODE.test(v1Detailed) && v1Detailed !== detailed) v1Aliases.set(v1Detailed, detailed);
  }
  return { entries, v1Aliases };
}

let cached: PfcTaxonomy | undefined;
export function pfcTaxonomy(): PfcTaxonomy {
  cached ??= parsePfcTaxonomy(readFileSync(PFC_CSV_PATH, 'utf8'));
  return cached;
}
