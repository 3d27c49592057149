// Targets as the user sends them (form or API), checked against the statement and the ledger. The
// user picks an existing account, names a new one (its key always comes from the file, never from
// the request), or skips a file account.
import { badRequest } from '../../../plugin-sdk/index.ts';
import type { StatementAccount } from '../parsers/index.ts';
import type { LedgerAccount } from '../ledger/services.ts';
import { LEDGER_TYPES, proposeNewAccount, type LedgerType, type TargetChoice } from '../plan/targets.ts';

export type TargetInput = {
  index: number;
  accountId?: string | null;
  create?: { name?: string | null; type?: string | null; currency?: string | null } | null;
  skip?: boolean | null;
};

const CURRENCY = /^[A-Z][A-Z0-9]{2,9}$/;

export function checkTargets(
  inputs: TargetInput[], base: TargetChoice[], accounts: StatementAccount[], ledgerAccounts: LedgerAccount[],
  ctx: { importId: string; filename: string; baseCurrency: string },
): TargetChoice[] {
  const out = new Map(base.map((t) => [t.index, t]));
  for (const input of inputs) {
    const acc = accounts[input.index];
    if (!acc) throw badRequest(`targets: the file has no account ${input.index} (it has ${accounts.length})`);
    if (input.skip) { out.set(input.index, { index: input.index, skip: true }); continue; }
    if (input.accountId) {
      if (!ledgerAccounts.some((a) => a.id === input.accountId)) throw badRequest(`targets.${input.index}.accountId: no open account ${input.accountId} in this household`);
      out.set(input.index, { index: input.index, accountId: input.accountId });
      continue;
    }
    if (input.create) {
      const proposed = proposeNewAccount(acc, { index: input.index, ...ctx });
      const name = input.create.name?.trim() || proposed.name;
      const type = (input.create.type || proposed.type) as LedgerType;
      const currency = (input.create.currency?.trim().toUpperCase() || proposed.currency);
      if (name.length > 200) throw badRequest(`targets.${input.index}.create.name: at most 200 characters`);
      if (!LEDGER_TYPES.includes(type)) throw badRequest(`targets.${input.index}.create.type: one of ${LEDGER_TYPES.join(', ')}`);
      if (!CURRENCY.test(currency)) throw badRequest(`targets.${input.index}.create.currency: a currency code such as "USD"`);
      const create = { ...proposed, name, type, currency };
      if (type !== proposed.type) delete create.subtype;
      out.set(input.index, { index: input.index, create });
      continue;
    }
    throw badRequest(`targets.${input.index}: give accountId, create or skip`);
  }
  return [...out.values()].sort((a, b) => a.index - b.index);
}
