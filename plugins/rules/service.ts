// The `rules` service other plugins call (the ledger, for every new or modified transaction, inside
// its own database transaction). Plain data in and out, so it works in-process and sandboxed:
//
//   const results = await ctx.services.get('rules').enrich(transactions);   // RuleTxn[]
//   // → [{ id, change: { categoryId?, payee?, tags?, notes?, excluded?, isTransfer? }, fired: [ruleId] }]
//
// Only transactions some rule fired on are returned. `change` holds only what differs from the
// input, and never touches what the user set by hand: a category with categorySource 'user' stays,
// a note is only filled where there is none. The caller writes the change in its own transaction
// (the rules plugin cannot: it is a different connection) and should also keep categorySource
// 'user' rows' categories in its SQL, as writeChanges does here.
import { badRequest, z, type PluginContext } from '../../plugin-sdk/index.ts';
import { runRules, type RuleChange } from './engine/engine.ts';
import { countFired, loadRuleSet, recordFired } from './run/rule-set.ts';

const Id = z.uuid();
const Code = z.string().max(100).nullable().default(null);
const Text = z.string().nullable().default(null);

export const RuleTxnInput = z.object({
  id: Id,
  accountId: Id,
  date: z.iso.date(),
  amount: z.string().regex(/^-?\d{1,18}(\.\d{1,10})?$/, 'must be a decimal string such as "-12.34"'),
  payee: Text,
  description: Text,
  notes: Text,
  categoryId: Id.nullable().default(null),
  categorySource: z.enum(['user', 'rule', 'provider']).nullable().default(null),
  pfcPrimary: Code,
  pfcDetailed: Code,
  pending: z.boolean().default(false),
  tags: z.array(z.string()).max(50).default([]),
  excluded: z.boolean().default(false),
  isTransfer: z.boolean().default(false),
});
const EnrichInput = z.array(RuleTxnInput).max(50_000);

export type Enriched = { id: string; change: RuleChange; fired: string[] };

export function rulesService(ctx: PluginContext) {
  return {
    /** Runs the household's enabled rules over the given transactions (new or modified ones). */
    async enrich(input: unknown): Promise<Enriched[]> {
      const parsed = EnrichInput.safeParse(input);
      if (!parsed.success) throw badRequest(parsed.error.issues.slice(0, 5).map((i) => `transactions.${i.path.join('.')}: ${i.message}`).join('; '));
      if (!parsed.data.length) return [];
      const set = await loadRuleSet(ctx.db.sql, null, ctx.log);
      if (!set.rules.length) return [];
      const out: Enriched[] = [];
      const fired = new Map<string, number>();
      for (const t of parsed.data) {
        const r = runRules(set, t);
        if (!r.fired.length) continue;
        out.push({ id: t.id, change: r.change, fired: r.fired });
        countFired(fired, r.fired);
      }
      // Counting is bookkeeping: it must never fail the caller's import.
      await recordFired(ctx.db.sql, fired).catch((err) => ctx.log.warn('could not record fired counts', { err: String(err) }));
      return out;
    },
  };
}
