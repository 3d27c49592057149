// One connected item in the fake: its accounts, transaction log, holdings, error state and the
// failures a test has scripted for it. Created by Link (simulated) and removed by /item/remove.
import { randomUUID } from 'node:crypto';
import type { PlaidErrorBody } from './errors.ts';
import { FailureQueue } from './failures.ts';
import { defaultHistoryDays, generateHistory } from './history.ts';
import type { AccountRole, Institution } from './institutions.ts';
import { generateHoldings, type FakeHolding } from './investments.ts';
import { Rng } from './rng.ts';
import { TransactionLog } from './transaction-log.ts';
import type { FakeAccount, StoredTransaction, TransactionsUpdateStatus } from './types.ts';

export type HistorySpec = { count?: number; days?: number; seed?: string; endDate?: string };

export type ItemInit = {
  institution: Institution;
  products: string[];
  webhook: string | null;
  environment: string;
  seed: string;
  today: string;
  now: Date;
  history?: HistorySpec;
};

export class FakeItem {
  readonly item_id: string;
  readonly access_token: string;
  readonly institution: Institution;
  readonly products: string[];
  readonly created_at: string;
  readonly rng: Rng;
  readonly accounts: FakeAccount[];
  readonly log = new TransactionLog();
  readonly holdings: FakeHolding[];
  webhook: string | null;
  error: PlaidErrorBody | null = null;
  removed = false;
  updateStatus: TransactionsUpdateStatus = 'HISTORICAL_UPDATE_COMPLETE';
  consentExpiration: string | null = null;
  readonly failures = new FailureQueue();
  /** Set by a test: the next mid-pagination sync call finds the history changed under it. */
  mutateOnNextPage = false;
  lastTransactionsUpdate: string;
  lastWebhook: { sent_at: string; code_sent: string } | null = null;

  constructor(init: ItemInit) {
    this.rng = new Rng(init.seed);
    this.item_id = this.rng.id();
    this.access_token = `access-${init.environment}-${randomUUID()}`;
    this.institution = init.institution;
    this.products = init.products;
    this.webhook = init.webhook;
    this.created_at = init.now.toISOString().replace(/\.\d+Z$/, 'Z');
    this.lastTransactionsUpdate = this.created_at;
    this.accounts = init.institution.accounts.map((t) => ({
      account_id: this.rng.id(), role: t.role, name: t.name, official_name: t.official_name, type: t.type, subtype: t.subtype, mask: t.mask,
      balances: { available: t.available, current: t.current, limit: t.limit, iso_currency_code: 'USD' },
    }));
    this.holdings = generateHoldings(new Rng(`${init.seed}:holdings`), this.accounts);
    const h = init.history ?? {};
    const count = h.count ?? 3 * (h.days ?? 90);
    const roles: Partial<Record<AccountRole, string>> = {};
    for (const a of this.accounts) if (a.type === 'depository' || a.type === 'credit') roles[a.role] ??= a.account_id;
    const history = generateHistory({
      rng: new Rng(h.seed ?? `${init.seed}:history`), accounts: roles, count,
      days: h.days ?? defaultHistoryDays(count), endDate: h.endDate ?? init.today,
    });
    for (const t of history) this.log.add(t);
  }

  account(idOrRole: string): FakeAccount | undefined {
    return this.accounts.find((a) => a.account_id === idOrRole) ?? this.accounts.find((a) => a.role === idOrRole);
  }

  newTransactionId(): string {
    return this.rng.id();
  }

  /** Adds a transaction that happened after the link: balances move with it. */
  addTransaction(t: StoredTransaction): void {
    this.log.add(t);
    this.#applyBalance(t, 1);
  }

  replaceTransaction(t: StoredTransaction): void {
    const old = this.log.get(t.transaction_id);
    if (!old) throw new Error(`no transaction ${t.transaction_id}`);
    this.log.replace(t);
    this.#applyBalance(old, -1);
    this.#applyBalance(t, 1);
  }

  removeTransaction(id: string): StoredTransaction {
    const old = this.log.remove(id);
    this.#applyBalance(old, -1);
    return old;
  }

  // Posted money moves `current`; pending and posted both reduce what is available.
  #applyBalance(t: StoredTransaction, sign: 1 | -1): void {
    const a = this.account(t.account_id);
    if (!a || (a.type !== 'depository' && a.type !== 'credit')) return;
    const cents = Math.round(t.amount * 100) * sign;
    const b = a.balances;
    if (!t.pending) b.current = (Math.round(b.current * 100) + (a.type === 'credit' ? cents : -cents)) / 100;
    if (b.available !== null) b.available = (Math.round(b.available * 100) - cents) / 100;
  }
}
