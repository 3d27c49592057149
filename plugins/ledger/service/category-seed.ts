// A new household's categories: one group per Plaid PFC primary and one category per PFC detailed
// code, with friendly names (data/pfc-names.ts), and the category_pfc mapping that lets provider
// categories land in them. Runs when a household is created (the ledger's household-created hook).
import { randomUUID } from 'node:crypto';
import { PFC_CATEGORIES, PFC_GROUPS, type CategoryKind } from '../data/pfc-names.ts';
import { householdId } from './household.ts';
import { pfcTaxonomy, type PfcTaxonomy } from './pfc-taxonomy.ts';
import { jsonParam, type Tx } from './tx.ts';

type SeedCategory = { id: string; parent_id: string | null; name: string; kind: CategoryKind; position: number };
export type CategorySeed = { categories: SeedCategory[]; mappings: { pfc_code: string; category_id: string }[] };

/** "HOME_IMPROVEMENT_OTHER_HOME_IMPROVEMENT" → "Other Home Improvement": for codes Plaid adds later. */
const titleCase = (code: string) => code.toLowerCase().split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');

export function buildCategorySeed(taxonomy: PfcTaxonomy = pfcTaxonomy()): CategorySeed {
  const primaries = [...new Set(taxonomy.entries.map((e) => e.primary))];
  const known = Object.keys(PFC_GROUPS);
  primaries.sort((a, b) => (known.indexOf(a) + 1 || 999) - (known.indexOf(b) + 1 || 999));

  const categories: SeedCategory[] = [];
  const mappings: CategorySeed['mappings'] = [];
  const idByCode = new Map<string, string>();
  primaries.forEach((primary, position) => {
    const group = PFC_GROUPS[primary] ?? { name: titleCase(primary), kind: 'expense' as const };
    const groupId = randomUUID();
    categories.push({ id: groupId, parent_id: null, name: group.name, kind: group.kind, position });
    const entries = taxonomy.entries.filter((e) => e.primary === primary);
    entries.forEach((e, i) => {
      const named = PFC_CATEGORIES[e.detailed];
      const name = typeof named === 'string' ? named : named?.name ?? titleCase(e.detailed.slice(primary.length + 1) || e.detailed);
      const kind = (typeof named === 'object' && named.kind) || group.kind;
      const id = randomUUID();
      categories.push({ id, parent_id: groupId, name, kind, position: i });
      idByCode.set(e.detailed, id);
      mappings.push({ pfc_code: e.detailed, category_id: id });
    });
    // A bare primary code (no detailed, or a detailed code Plaid added since) lands in the group's "Other".
    const other = entries.find((e) => e.detailed.startsWith(`${primary}_OTHER`)) ?? entries.at(-1);
    if (other && !idByCode.has(primary)) mappings.push({ pfc_code: primary, category_id: idByCode.get(other.detailed)! });
  });
  for (const [v1, v2] of taxonomy.v1Aliases) {
    const id = idByCode.get(v2);
    if (id && !idByCode.has(v1)) mappings.push({ pfc_code: v1, category_id: id });
  }
  return { categories, mappings };
}

/**
 * Seeds the bound household's categories unless it already has some (so running it again, or on a
 * household whose user already built categories, does nothing). Returns how many were created.
 */
export async function seedCategories(tx: Tx): Promise<{ created: number }> {
  // Two concurrent seeds of one household: the second waits here, then sees the first's rows.
  await tx`select pg_advisory_xact_lock(hashtextextended('ledger.seed:' || kernel.current_household()::text, 0))`;
  const [existing] = await tx`select exists (select from ledger.categories) as any`;
  if (existing.any) return { created: 0 };
  const seed = buildCategorySeed();
  await tx`
    insert into ledger.categories (household_id, id, parent_id, name, kind, position)
    select ${householdId(tx)}, id, parent_id, name, kind, position
    from jsonb_to_recordset(${jsonParam(seed.categories)}::text::jsonb) as s(id uuid, parent_id uuid, name text, kind text, position int)`;
  await tx`
    insert into ledger.category_pfc (household_id, pfc_code, category_id)
    select ${householdId(tx)}, pfc_code, category_id
    from jsonb_to_recordset(${jsonParam(seed.mappings)}::text::jsonb) as s(pfc_code text, category_id uuid)`;
  return { created: seed.categories.length };
}
