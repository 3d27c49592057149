// Plaid's personal finance category (PFC) taxonomy, read from the committed copy of Plaid's CSV
// (pfc-taxonomy.csv, identical to ../shared/specs/plaid-pfc-taxonomy.csv; a test checks this).
// PFCv2 is a superset of v1: a v2 category without a v1 twin maps to its primary's catch-all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type PfcVersion = 'v1' | 'v2';

export type PfcCategory = {
  primary: string;
  detailed: string;
  v1Primary: string | null;
  v1Detailed: string | null;
};

export const TAXONOMY_CSV = join(import.meta.dirname, 'pfc-taxonomy.csv');

export function parseTaxonomy(csv: string): PfcCategory[] {
  const out: PfcCategory[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const [primary = '', detailed = '', , v1Primary = '', v1Detailed = ''] = line.split(',').map((c) => c.trim());
    // The header and the explanatory note have no SCREAMING_CASE detailed category.
    if (!/^[A-Z_]+$/.test(primary) || !detailed.startsWith(`${primary}_`)) continue;
    out.push({ primary, detailed, v1Primary: v1Primary || null, v1Detailed: v1Detailed || null });
  }
  return out;
}

export const TAXONOMY: readonly PfcCategory[] = parseTaxonomy(readFileSync(TAXONOMY_CSV, 'utf8'));
const byDetailed = new Map(TAXONOMY.map((c) => [c.detailed, c]));

export function pfcCategory(detailed: string): PfcCategory {
  const c = byDetailed.get(detailed);
  if (!c) throw new Error(`not a PFCv2 detailed category: ${detailed}`);
  return c;
}

/** The category as a given taxonomy version names it. `amount` is Plaid-signed (positive = money out). */
export function pfcFor(detailed: string, version: PfcVersion, amount: number): { primary: string; detailed: string } {
  const c = pfcCategory(detailed);
  if (version === 'v2') return { primary: c.primary, detailed: c.detailed };
  // OTHER_OTHER's v1 twin depends on the direction of the money ("TRANSFER_IN / TRANSFER_OUT").
  if (c.v1Primary?.includes(' / ')) {
    const side = amount < 0 ? 0 : 1;
    return { primary: c.v1Primary.split(' / ')[side]!, detailed: c.v1Detailed!.split(' / ')[side]! };
  }
  if (c.v1Primary && c.v1Detailed) return { primary: c.v1Primary, detailed: c.v1Detailed };
  const catchAll = TAXONOMY.find((o) => o.primary === c.primary && o.detailed.includes('_OTHER') && o.v1Detailed);
  if (!catchAll) throw new Error(`no PFCv1 equivalent for ${detailed}`);
  return { primary: catchAll.v1Primary!, detailed: catchAll.v1Detailed! };
}

export function pfcIconUrl(primary: string): string {
  return `https://plaid-category-icons.plaid.com/PFC_${primary}.png`;
}
