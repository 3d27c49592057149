// The in-process control API for one item: what happens at the bank between two syncs. Changes to
// transactions are what /transactions/sync reports next; error states make data endpoints fail the
// way Plaid does; webhook-worthy events send their webhook (await the returned promise, or
// `fake.webhooks.settled()`, to know it arrived).
import { isoDate } from './dates.ts';
import { webhookError } from './errors.ts';
import type { FakePlaid } from './fake-plaid.ts';
import { generateHistory } from './history.ts';
import type { AccountRole } from './institutions.ts';
import { INSTITUTIONS } from './institutions.ts';
import type { FakeItem } from './item.ts';
import { EVERYDAY, RECURRING, type Channel, type Merchant } from './merchants.ts';
import { pfcCategory, type PfcVersion } from './pfc.ts';
import { renderTransaction } from './render.ts';
import type { FakeAccount, StoredTransaction } from './types.ts';
import type { WebhookCode, WebhookExtras } from './webhook-payloads.ts';
import type { Delivery } from './webhook-sender.ts';

export type TransactionInput = {
  /** Account id or role ('checking', 'card', ...); defaults to the first checking/credit account. */
  account?: string;
  /** Plaid-signed: positive = money out. */
  amount: number;
  date?: string;
  name?: string;
  /** A known merchant's name, a custom merchant, or null for none. */
  merchant?: string | Merchant | null;
  /** PFCv2 detailed category; defaults to the known merchant's, else GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE. */
  category?: string;
  pending?: boolean;
  payment_channel?: Channel;
};

export type TransactionPatch = Partial<Pick<StoredTransaction, 'amount' | 'date' | 'name' | 'category' | 'authorized_date'>> & { merchant?: string | Merchant | null };

const KNOWN = [...EVERYDAY.flatMap((k) => k.merchants.map((m) => ({ m, category: k.category, channel: k.channel }))), ...RECURRING.map((r) => ({ m: r.merchant, category: r.category, channel: r.channel }))];

export class ItemControl {
  readonly fake: FakePlaid;
  readonly item: FakeItem;

  constructor(fake: FakePlaid, item: FakeItem) {
    this.fake = fake;
    this.item = item;
  }

  get accessToken(): string {
    return this.item.access_token;
  }

  get itemId(): string {
    return this.item.item_id;
  }

  account(idOrRole: string): FakeAccount {
    const a = this.item.account(idOrRole);
    if (!a) throw new Error(`fake plaid: item has no account ${idOrRole}`);
    return a;
  }

  /** Every transaction currently present, as /transactions/sync would render it, by transaction_id. */
  transactions(opts: { pfcVersion?: PfcVersion } = {}): Record<string, unknown>[] {
    const render = { pfcVersion: opts.pfcVersion ?? 'v2', includeOriginalDescription: false };
    return this.item.log.current().map((t) => renderTransaction(t, render)).sort((a, b) => (String(a.transaction_id) < String(b.transaction_id) ? -1 : 1));
  }

  transaction(id: string): StoredTransaction | undefined {
    return this.item.log.get(id);
  }

  // ---- Transaction changes ------------------------------------------------------------------

  addTransactions(inputs: TransactionInput[]): StoredTransaction[] {
    const added = inputs.map((i) => this.#build(i));
    for (const t of added) this.item.addTransaction(t);
    this.#changed();
    return added;
  }

  /** n more generated everyday transactions dated today. */
  addGenerated(n: number, opts: { pending?: boolean } = {}): StoredTransaction[] {
    const roles: Partial<Record<AccountRole, string>> = {};
    for (const a of this.item.accounts) if (a.type === 'depository' || a.type === 'credit') roles[a.role] ??= a.account_id;
    const today = isoDate(this.fake.now());
    const drafts = generateHistory({ rng: this.item.rng, accounts: roles, count: n, days: 1, endDate: today, pendingDays: 0 });
    const added = drafts.map((t) => ({ ...t, pending: opts.pending ?? false, authorized_date: today }));
    for (const t of added) this.item.addTransaction(t);
    this.#changed();
    return added;
  }

  modify(id: string, patch: TransactionPatch): StoredTransaction {
    const old = this.#get(id);
    const { merchant, ...rest } = patch;
    const next: StoredTransaction = { ...old, ...rest };
    if (merchant !== undefined) next.merchant = this.#merchant(merchant).m;
    if (patch.category) pfcCategory(patch.category);
    this.item.replaceTransaction(next);
    this.#changed();
    return next;
  }

  remove(...ids: string[]): void {
    for (const id of ids) this.item.removeTransaction(id);
    this.#changed();
  }

  /** The bank settles a pending transaction: the pending one is removed and a posted one added
   *  that names it in pending_transaction_id (amount may change, e.g. a tip). */
  postPending(pendingId: string, patch: { amount?: number; date?: string } = {}): StoredTransaction {
    const pending = this.#get(pendingId);
    if (!pending.pending) throw new Error(`fake plaid: transaction ${pendingId} is not pending`);
    const posted: StoredTransaction = {
      ...pending, transaction_id: this.item.newTransactionId(), pending: false, pending_transaction_id: pendingId,
      amount: patch.amount ?? pending.amount, date: patch.date ?? pending.date, authorized_date: pending.date,
    };
    this.item.removeTransaction(pendingId);
    this.item.addTransaction(posted);
    this.#changed();
    return posted;
  }

  /** The next call for a later page of a pagination finds the history changed under it. */
  mutateDuringPagination(): void {
    this.item.mutateOnNextPage = true;
  }

  notReady(): void {
    this.item.updateStatus = 'NOT_READY';
  }

  ready(): Promise<Delivery | null> {
    this.item.updateStatus = 'HISTORICAL_UPDATE_COMPLETE';
    return this.notify();
  }

  // ---- Item states --------------------------------------------------------------------------

  /** The bank wants the user to log in again: data endpoints fail with ITEM_LOGIN_REQUIRED. */
  requireLogin(): Promise<Delivery | null> {
    this.item.error = webhookError('ITEM_LOGIN_REQUIRED');
    return this.fireWebhook('ERROR', { errorCode: 'ITEM_LOGIN_REQUIRED' });
  }

  /** The user went through update mode. */
  repairLogin(): Promise<Delivery | null> {
    this.item.error = null;
    return this.fireWebhook('LOGIN_REPAIRED');
  }

  revokePermission(): Promise<Delivery | null> {
    this.item.error = webhookError('USER_PERMISSION_REVOKED');
    return this.fireWebhook('USER_PERMISSION_REVOKED');
  }

  pendingExpiration(at: Date = new Date(this.fake.now().getTime() + 7 * 86_400_000)): Promise<Delivery | null> {
    this.item.consentExpiration = at.toISOString().replace(/\.\d+Z$/, 'Z');
    return this.fireWebhook('PENDING_EXPIRATION');
  }

  pendingDisconnect(reason: WebhookExtras['disconnectReason'] = 'INSTITUTION_TOKEN_EXPIRATION'): Promise<Delivery | null> {
    return this.fireWebhook('PENDING_DISCONNECT', { disconnectReason: reason });
  }

  /** The user opened another account at the bank (a copy of one of the catalogue's account kinds). */
  addAccount(role: AccountRole = 'savings'): Promise<Delivery | null> {
    const template = INSTITUTIONS.flatMap((i) => i.accounts).find((a) => a.role === role);
    if (!template) throw new Error(`fake plaid: no account template ${role}`);
    this.item.accounts.push({
      account_id: this.item.rng.id(), role, name: `${template.name} 2`, official_name: template.official_name, type: template.type,
      subtype: template.subtype, mask: String(1000 + this.item.accounts.length * 7).slice(-4),
      balances: { available: template.available, current: template.current, limit: template.limit, iso_currency_code: 'USD' },
    });
    return this.fireWebhook('NEW_ACCOUNTS_AVAILABLE');
  }

  setBalance(idOrRole: string, balances: Partial<FakeAccount['balances']>): void {
    Object.assign(this.account(idOrRole).balances, balances);
  }

  // ---- Failures and webhooks ----------------------------------------------------------------

  /** The next `times` requests for this item (optionally one endpoint) get 429 RATE_LIMIT_EXCEEDED. */
  rateLimit(times = 1, endpoint?: string): void {
    this.item.failures.add('rate_limit', times, endpoint);
  }

  /** The next `times` requests for this item (optionally one endpoint) get 500 INTERNAL_SERVER_ERROR. */
  fail500(times = 1, endpoint?: string): void {
    this.item.failures.add('server_error', times, endpoint);
  }

  /** SYNC_UPDATES_AVAILABLE, as Plaid sends when new transaction data is ready. */
  notify(): Promise<Delivery | null> {
    return this.fireWebhook('SYNC_UPDATES_AVAILABLE');
  }

  fireWebhook(code: WebhookCode, extras: Partial<WebhookExtras> = {}): Promise<Delivery | null> {
    return this.fake.sendWebhook(this.item, code, extras);
  }

  #changed(): void {
    this.item.lastTransactionsUpdate = this.fake.now().toISOString().replace(/\.\d+Z$/, 'Z');
    if (this.fake.autoWebhooks) void this.notify();
  }

  #get(id: string): StoredTransaction {
    const t = this.item.log.get(id);
    if (!t) throw new Error(`fake plaid: no transaction ${id}`);
    return t;
  }

  #merchant(ref: string | Merchant | null): { m: Merchant | null; category?: string; channel?: Channel } {
    if (ref === null) return { m: null };
    if (typeof ref !== 'string') return { m: ref };
    const known = KNOWN.find((k) => k.m.name.toLowerCase() === ref.toLowerCase());
    return known ?? { m: { name: ref, descriptor: ref.toUpperCase(), website: null } };
  }

  #build(i: TransactionInput): StoredTransaction {
    const account = i.account ? this.account(i.account) : this.item.accounts.find((a) => a.type === 'depository' || a.type === 'credit');
    if (!account) throw new Error('fake plaid: item has no account for transactions');
    const { m, category, channel } = i.merchant === undefined ? { m: null } : this.#merchant(i.merchant);
    const cat = i.category ?? category ?? 'GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE';
    pfcCategory(cat);
    const date = i.date ?? isoDate(this.fake.now());
    return {
      transaction_id: this.item.newTransactionId(), account_id: account.account_id, amount: i.amount, iso_currency_code: 'USD',
      date, authorized_date: date, name: i.name ?? m?.descriptor ?? 'PURCHASE', merchant: m, category: cat,
      payment_channel: i.payment_channel ?? channel ?? 'other', pending: i.pending ?? false, pending_transaction_id: null,
      check_number: null, city: null, region: null,
    };
  }
}
