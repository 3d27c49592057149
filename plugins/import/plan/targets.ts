// Where each account of a statement file goes: an existing ledger account, a new one made from the
// file's account information, or nowhere (skipped, or refused as an investment statement).
import { investmentRefusal, type StatementAccount } from '../parsers/index.ts';
import type { LedgerAccount } from '../ledger/services.ts';
import { SOURCE } from '../ledger/services.ts';

export const LEDGER_TYPES = ['depository', 'credit', 'loan', 'investment', 'property', 'vehicle', 'crypto', 'other_asset', 'other_liability'] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];
/**
 * The ledger's own names for its account types (its TYPE_LABELS, plugins/ledger/pages/view-data.ts),
 * so the "new account" choice reads as the ledger's pages do. No ledger service exposes them and this
 * plugin imports only the SDK, so they are repeated here: keep the two in step.
 */
export const LEDGER_TYPE_LABELS: Record<LedgerType, string> = {
  depository: 'Cash', credit: 'Credit cards', loan: 'Loans', investment: 'Investments', property: 'Property',
  vehicle: 'Vehicles', crypto: 'Crypto', other_asset: 'Other assets', other_liability: 'Other liabilities',
};

export type NewAccount = { name: string; type: LedgerType; subtype?: string; currency: string; externalId: string; mask?: string };

/** What the user (or the defaults) chose for statement account `index`. */
export type TargetChoice =
  | { index: number; accountId: string; created?: boolean }
  | { index: number; create: NewAccount }
  | { index: number; skip: true };

const TYPE_OF: Record<StatementAccount['type'], { type: LedgerType; subtype?: string; label: string }> = {
  checking: { type: 'depository', subtype: 'checking', label: 'Checking' },
  savings: { type: 'depository', subtype: 'savings', label: 'Savings' },
  'money-market': { type: 'depository', subtype: 'money market', label: 'Money market' },
  cash: { type: 'depository', subtype: 'cash', label: 'Cash' },
  'credit-card': { type: 'credit', subtype: 'credit card', label: 'Credit card' },
  'credit-line': { type: 'credit', subtype: 'line of credit', label: 'Line of credit' },
  investment: { type: 'investment', label: 'Investment' },
  'other-asset': { type: 'other_asset', label: 'Asset' },
  'other-liability': { type: 'other_liability', label: 'Liability' },
  unknown: { type: 'depository', label: 'Account' },
};

/** The file's own name for an account, stable across downloads: the key of an account made from it. */
export function identityKey(acc: StatementAccount): string | undefined {
  if (acc.accountId) return `ofx:${acc.bankId ?? ''}:${acc.accountId}`.slice(0, 255);
  if (acc.name) return `qif:${acc.name}`.slice(0, 255);
  return undefined;
}

const maskOf = (accountId: string | undefined) => accountId?.replace(/[^0-9A-Za-z]/g, '').slice(-4) || undefined;

/** How the statement describes the account, for the preview. */
export function describeAccount(acc: StatementAccount): string {
  const kind = acc.rawType ? TYPE_OF[acc.type].label : acc.kind === 'investment' ? 'Investment' : 'Account';
  const parts = [acc.name ?? kind];
  if (acc.accountId) parts.push(acc.accountId);
  if (acc.bankId) parts.push(`(bank ${acc.bankId})`);
  return parts.join(' ');
}

export function proposeNewAccount(acc: StatementAccount, ctx: { index: number; importId: string; filename: string; baseCurrency: string }): NewAccount {
  const t = TYPE_OF[acc.type];
  const mask = maskOf(acc.accountId);
  const stem = ctx.filename.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim() || 'Imported account';
  const name = (acc.name ?? (mask ? `${t.label} …${mask}` : stem)).slice(0, 200);
  const account: NewAccount = {
    name, type: t.type, currency: acc.currency ?? ctx.baseCurrency,
    externalId: identityKey(acc) ?? `file:${ctx.importId}:${ctx.index}`,
  };
  if (t.subtype) account.subtype = t.subtype;
  if (mask) account.mask = mask;
  return account;
}

/** Why a statement account cannot be imported as cash, or undefined. */
export function refusalOf(acc: StatementAccount): string | undefined {
  if (acc.kind !== 'investment') return undefined;
  return investmentRefusal({ format: 'ofx', encoding: '', accounts: [acc], rowErrors: [], warnings: [] });
}

export type DefaultsInput = {
  importId: string; filename: string; baseCurrency: string;
  ledgerAccounts: LedgerAccount[];
  /** The account picked at upload: used when the file holds one account. */
  requestedAccountId?: string | null;
  /** Where the last completed import of the very same file went. */
  previous?: TargetChoice[] | null;
};

/**
 * Default targets: the account picked at upload (one-account files), else the account this source
 * made from the same file account earlier, else where the same file went last time, else a new
 * account proposed from the file. Investment statements are skipped (refused).
 */
export function defaultTargets(accounts: StatementAccount[], input: DefaultsInput): TargetChoice[] {
  const open = new Map(input.ledgerAccounts.map((a) => [a.id, a]));
  const cash = accounts.filter((a) => a.kind === 'cash').length;
  return accounts.map((acc, index): TargetChoice => {
    if (acc.kind === 'investment') return { index, skip: true };
    if (input.requestedAccountId && cash === 1 && open.has(input.requestedAccountId)) return { index, accountId: input.requestedAccountId };
    const key = identityKey(acc);
    const known = key && input.ledgerAccounts.find((a) => a.source === SOURCE && a.externalId === key);
    if (known) return { index, accountId: known.id };
    const before = input.previous?.find((p) => p.index === index);
    if (before && 'accountId' in before && open.has(before.accountId)) return { index, accountId: before.accountId };
    return { index, create: proposeNewAccount(acc, { index, importId: input.importId, filename: input.filename, baseCurrency: input.baseCurrency }) };
  });
}

/** A "create" whose key the ledger already has from this source is that account (re-import). */
export function existingForCreate(choice: NewAccount, ledgerAccounts: LedgerAccount[]): LedgerAccount | undefined {
  return ledgerAccounts.find((a) => a.source === SOURCE && a.externalId === choice.externalId);
}
