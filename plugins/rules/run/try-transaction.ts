// The test box: which rules would fire on one transaction (a real one, or a sample typed in), in
// which order, and what the transaction would look like afterwards. Nothing is written.
import { notFound, type PluginSql } from '../../../plugin-sdk/index.ts';
import { runRules, type RuleChange, type RuleTxn } from '../engine/engine.ts';
import { readTransaction } from '../ledger/transactions.ts';
import { isUuid } from '../store/rules.ts';
import { loadRuleSet } from './rule-set.ts';

export type TrySample = {
  payee?: string | null; description?: string | null; notes?: string | null; amount: string; date: string;
  accountId?: string | null; pending?: boolean; tags?: string[]; pfcPrimary?: string | null; pfcDetailed?: string | null;
};

export type TryResult = {
  transaction: RuleTxn;
  fired: { id: string; name: string }[];
  changes: { field: keyof RuleChange; before: unknown; after: unknown }[];
};

const NO_ID = '00000000-0000-4000-8000-000000000000';

export function sampleTxn(s: TrySample): RuleTxn {
  return {
    id: NO_ID, accountId: s.accountId ?? NO_ID, date: s.date, amount: s.amount, payee: s.payee ?? null,
    description: s.description ?? null, notes: s.notes ?? null, categoryId: null, categorySource: null,
    pfcPrimary: s.pfcPrimary ?? null, pfcDetailed: s.pfcDetailed ?? null, pending: s.pending ?? false,
    tags: s.tags ?? [], excluded: false, isTransfer: false,
  };
}

export async function tryTransaction(sql: PluginSql, input: { transactionId: string } | { sample: TrySample }): Promise<TryResult> {
  let txn: RuleTxn;
  if ('transactionId' in input) {
    const found = isUuid(input.transactionId) ? await readTransaction(sql, input.transactionId) : null;
    if (!found) throw notFound('no such transaction');
    txn = found;
  } else {
    txn = sampleTxn(input.sample);
  }
  const set = await loadRuleSet(sql);
  const { change, fired } = runRules(set, txn);
  const names = new Map(set.rules.map((r) => [r.id, r.name]));
  return {
    transaction: txn,
    fired: fired.map((id) => ({ id, name: names.get(id) ?? id })),
    changes: (Object.keys(change) as (keyof RuleChange)[]).map((field) => ({ field, before: txn[field], after: change[field] })),
  };
}
