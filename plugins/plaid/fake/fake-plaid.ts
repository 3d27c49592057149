// The fake Plaid server: a real HTTP server on loopback speaking Plaid's wire format, holding items
// in memory, with an in-process control API for tests (see control.ts) and signed webhooks.
//
//   const fake = await FakePlaid.start();
//   const plaid = new PlaidApi(new Configuration(fake.sdkConfiguration()));
//   const publicToken = fake.link({ institutionId: 'ins_109508', history: { count: 5000 } });
//   ...
//   await fake.close();
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { ItemControl } from './control.ts';
import { isoDate } from './dates.ts';
import { dispatch, type RawRequest, type RawResponse } from './dispatch.ts';
import { plaidError } from './errors.ts';
import { FailureQueue } from './failures.ts';
import { findInstitution } from './institutions.ts';
import { FakeItem, type HistorySpec } from './item.ts';
import { itemRoutes } from './routes/items.ts';
import { linkRoutes } from './routes/link.ts';
import { miscRoutes } from './routes/misc.ts';
import type { Route } from './routes/route.ts';
import { transactionRoutes } from './routes/transactions.ts';
import { listen } from './serve.ts';
import { buildWebhookRequest, type WebhookRequest, type WebhookVariant } from './webhook-forgery.ts';
import { WebhookKeyRing } from './webhook-keys.ts';
import { webhookBody, type WebhookCode, type WebhookExtras } from './webhook-payloads.ts';
import { WebhookSender, type Delivery } from './webhook-sender.ts';

export type FakePlaidOptions = {
  clientId?: string;
  secret?: string;
  environment?: 'sandbox' | 'production';
  /** Seeds every generated item, so the same sequence of links yields the same data. */
  seed?: string;
  /** The fake's clock (dates of generated history, webhook iat). */
  now?: () => Date;
  host?: string;
  port?: number;
  /** History of items created without their own spec (default: 90 days, ~3 a day). */
  defaultHistory?: HistorySpec;
  /** Send SYNC_UPDATES_AVAILABLE when an item is first exchanged and after every transaction change made through the control API. */
  autoWebhooks?: boolean;
};

export type LinkOptions = { institutionId: string; products?: string[]; webhook?: string | null; history?: HistorySpec };

/** One request the fake answered; `clientId` is the client id it presented (never the secret). */
export type RequestRecord = { path: string; status: number; errorCode: string | null; itemId: string | null; clientId: string | null; at: string };

function presentedClientId(req: RawRequest): string | null {
  const header = req.headers['plaid-client-id'];
  if (header) return Array.isArray(header) ? header[0] : header;
  try {
    const id = (JSON.parse(req.body) as { client_id?: unknown }).client_id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

type LinkToken = { token: string; expiration: string; expiresAt: number; products: string[]; webhook: string | null; accessToken: string | null };

const ROUTES = new Map<string, Route>([...linkRoutes, ...itemRoutes, ...transactionRoutes, ...miscRoutes].map((r) => [r.path, r]));
const MAX_RECORDS = 10_000;

export class FakePlaid {
  readonly clientId: string;
  readonly secret: string;
  readonly environment: 'sandbox' | 'production';
  readonly seed: string;
  readonly now: () => Date;
  readonly autoWebhooks: boolean;
  readonly keys: WebhookKeyRing;
  readonly webhooks: WebhookSender;
  /** Failures scripted for every request, whatever the item. */
  readonly failures = new FailureQueue();
  /** The most recent requests (path, status, error code), for asserting retries and call counts. */
  readonly requests: RequestRecord[] = [];
  readonly #defaultHistory: HistorySpec | undefined;
  #server: Server | null = null;
  #url = '';
  #items = new Map<string, FakeItem>();
  #publicTokens = new Map<string, { item: FakeItem; expiresAt: number }>();
  #linkTokens = new Map<string, LinkToken>();
  #ordinal = 0;

  private constructor(opts: FakePlaidOptions, keys: WebhookKeyRing) {
    this.clientId = opts.clientId ?? 'fake-client-id';
    this.secret = opts.secret ?? 'fake-secret';
    this.environment = opts.environment ?? 'sandbox';
    this.seed = opts.seed ?? 'mff-fake-plaid';
    this.now = opts.now ?? (() => new Date());
    this.autoWebhooks = opts.autoWebhooks ?? false;
    this.#defaultHistory = opts.defaultHistory;
    this.keys = keys;
    this.webhooks = new WebhookSender({ key: () => keys.current, now: this.now });
  }

  static async start(opts: FakePlaidOptions = {}): Promise<FakePlaid> {
    const now = opts.now ?? (() => new Date());
    const fake = new FakePlaid(opts, await WebhookKeyRing.create(Math.floor(now().getTime() / 1000)));
    const { server, url } = await listen((req) => fake.#handle(req), opts.host ?? '127.0.0.1', opts.port ?? 0);
    fake.#server = server;
    fake.#url = url;
    return fake;
  }

  /** Base URL to give the SDK (`basePath`) or the plugin's base-URL override. */
  get url(): string {
    return this.#url;
  }

  /** Arguments for the official SDK's `new Configuration(...)`, credentials in headers like Plaid's docs. */
  sdkConfiguration(): { basePath: string; baseOptions: { headers: Record<string, string> } } {
    return { basePath: this.url, baseOptions: { headers: { 'PLAID-CLIENT-ID': this.clientId, 'PLAID-SECRET': this.secret } } };
  }

  async close(): Promise<void> {
    await this.webhooks.settled();
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- Link ---------------------------------------------------------------------------------

  createLinkToken(opts: { products: string[]; webhook: string | null; accessToken: string | null }): LinkToken {
    const expiresAt = this.now().getTime() + 4 * 3600_000;
    const link: LinkToken = { token: `link-${this.environment}-${randomUUID()}`, expiration: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, 'Z'), expiresAt, ...opts };
    this.#linkTokens.set(link.token, link);
    return link;
  }

  /** What the user finishing Link at an institution amounts to: a new item, and its public token. */
  link(opts: LinkOptions): string {
    const institution = findInstitution(opts.institutionId);
    if (!institution) throw plaidError('INVALID_INSTITUTION');
    const requested = opts.products ?? ['transactions'];
    const products = requested.filter((p) => institution.products.includes(p));
    const item = new FakeItem({
      institution, products, webhook: opts.webhook ?? null, environment: this.environment,
      seed: `${this.seed}:${institution.institution_id}:${this.#ordinal++}`,
      today: isoDate(this.now()), now: this.now(), history: opts.history ?? this.#defaultHistory,
    });
    return this.#issuePublicToken(item);
  }

  /** Finishes a Link session opened with a link token: a new item, or in update mode the item repaired. */
  completeLink(linkToken: string, opts: { institutionId?: string; history?: HistorySpec } = {}): string {
    const link = this.#linkTokens.get(linkToken);
    if (!link || link.expiresAt < this.now().getTime()) throw plaidError('INVALID_LINK_TOKEN');
    this.#linkTokens.delete(linkToken);
    if (link.accessToken) {
      const item = this.itemByAccessToken(link.accessToken);
      if (item.error?.error_code === 'ITEM_LOGIN_REQUIRED') void this.control(item).repairLogin();
      return this.#issuePublicToken(item);
    }
    return this.link({ institutionId: opts.institutionId ?? 'ins_109508', products: link.products, webhook: link.webhook, history: opts.history });
  }

  exchangePublicToken(publicToken: string): FakeItem {
    const entry = this.#publicTokens.get(publicToken);
    if (!entry || entry.expiresAt < this.now().getTime()) throw plaidError('INVALID_PUBLIC_TOKEN');
    this.#publicTokens.delete(publicToken); // one-time use
    const fresh = !this.#items.has(entry.item.access_token);
    this.#items.set(entry.item.access_token, entry.item);
    // Plaid announces the initial pull; it may well arrive before the client has stored the item.
    if (fresh && this.autoWebhooks) void this.sendWebhook(entry.item, 'SYNC_UPDATES_AVAILABLE');
    return entry.item;
  }

  /** Link + exchange in one step, for tests that start from a connected item. */
  connect(opts: LinkOptions): ItemControl {
    return this.control(this.exchangePublicToken(this.link(opts)));
  }

  #issuePublicToken(item: FakeItem): string {
    const token = `public-${this.environment}-${randomUUID()}`;
    this.#publicTokens.set(token, { item, expiresAt: this.now().getTime() + 30 * 60_000 });
    return token;
  }

  // ---- Items --------------------------------------------------------------------------------

  itemByAccessToken(token: unknown): FakeItem {
    const item = typeof token === 'string' ? this.#items.get(token) : undefined;
    if (!item) throw plaidError('INVALID_ACCESS_TOKEN');
    if (item.removed) throw plaidError('ITEM_NOT_FOUND');
    return item;
  }

  removeItem(item: FakeItem): void {
    item.removed = true;
  }

  /** The control API for an item, by FakeItem, access token or item id. */
  control(ref: FakeItem | string): ItemControl {
    const item = typeof ref === 'string' ? (this.#items.get(ref) ?? [...this.#items.values()].find((i) => i.item_id === ref)) : ref;
    if (!item) throw new Error(`fake plaid: no item ${typeof ref === 'string' ? ref : ''}`);
    return new ItemControl(this, item);
  }

  item(ref: string): ItemControl {
    return this.control(ref);
  }

  // ---- Failures and webhooks ----------------------------------------------------------------

  rateLimit(times = 1, endpoint?: string): void {
    this.failures.add('rate_limit', times, endpoint);
  }

  fail500(times = 1, endpoint?: string): void {
    this.failures.add('server_error', times, endpoint);
  }

  /** Sends a webhook for the item to its webhook URL; null when the item has none. */
  async sendWebhook(item: FakeItem, code: WebhookCode, extras: Partial<WebhookExtras> = {}): Promise<Delivery | null> {
    if (!item.webhook) return null;
    const now = this.now();
    const body = webhookBody(item, code, { environment: this.environment, now, ...extras });
    item.lastWebhook = { sent_at: now.toISOString().replace(/\.\d+Z$/, 'Z'), code_sent: String(body.webhook_code) };
    return this.webhooks.send(item.webhook, body);
  }

  /** A webhook request signed with this fake's keys, correctly or in one of the ways a verifier must refuse. */
  webhookRequest(body: unknown, variant: WebhookVariant = 'valid'): Promise<WebhookRequest> {
    return buildWebhookRequest(this.keys, body, variant, this.now().getTime());
  }

  async #handle(req: RawRequest): Promise<RawResponse> {
    if (req.method === 'POST' && req.path === '/__fake/link/complete') return this.#completeLinkOverHttp(req.body);
    const res = await dispatch(this, ROUTES, req);
    this.requests.push({ path: req.path, status: res.status, errorCode: res.status === 200 ? null : String(res.body.error_code), itemId: res.item?.item_id ?? null, clientId: presentedClientId(req), at: this.now().toISOString() });
    if (this.requests.length > MAX_RECORDS) this.requests.splice(0, this.requests.length - MAX_RECORDS);
    return { status: res.status, body: res.body };
  }

  // Lets a browser page stand in for Plaid Link in the demo: POST {link_token, institution_id}.
  #completeLinkOverHttp(raw: string): RawResponse {
    try {
      const body = JSON.parse(raw) as { link_token?: unknown; institution_id?: unknown };
      const institutionId = typeof body.institution_id === 'string' ? body.institution_id : undefined;
      return { status: 200, body: { public_token: this.completeLink(String(body.link_token), { institutionId }) } };
    } catch (err) {
      const e = err as { status?: number; body?: Record<string, unknown> };
      return { status: e.status ?? 400, body: e.body ?? { error_code: 'INVALID_BODY' } };
    }
  }
}
