// One request through the fake, in the order Plaid checks things: route, JSON body, credentials
// (body fields win over PLAID-CLIENT-ID / PLAID-SECRET headers), unknown and missing fields,
// scripted failures, then the access token and the item's state, then the endpoint itself.
// Every answer carries a request_id; errors use Plaid's error shape.
import { randomBytes } from 'node:crypto';
import { PlaidApiError, plaidError, rateLimitError, type PlaidErrorBody } from './errors.ts';
import type { FakePlaid } from './fake-plaid.ts';
import type { FakeItem } from './item.ts';
import type { FailureKind } from './failures.ts';
import type { Body, Route } from './routes/route.ts';

export type RawRequest = { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: string };
export type RawResponse = { status: number; body: Record<string, unknown> };

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function requestId(): string {
  return [...randomBytes(15)].map((b) => ALPHANUM[b % ALPHANUM.length]).join('');
}

export async function dispatch(fake: FakePlaid, routes: Map<string, Route>, req: RawRequest): Promise<RawResponse & { item?: FakeItem }> {
  const id = requestId();
  let item: FakeItem | undefined;
  try {
    const route = req.method === 'POST' ? routes.get(req.path) : undefined;
    if (!route) throw plaidError('NOT_FOUND');
    const body = parseBody(req.body);
    authenticate(fake, body, req.headers);
    checkFields(route, body);
    failIfScripted(fake.failures.take(route.path), route.path);
    if (route.item) {
      item = fake.itemByAccessToken(body.access_token as string);
      failIfScripted(item.failures.take(route.path), route.path);
      if (route.item === 'usable' && item.error) throw new PlaidApiError(item.error.status ?? 400, withoutStatus(item.error));
    }
    const result = await route.handle({ fake, path: route.path, body, item: item! });
    return { status: 200, body: { ...result, request_id: id }, item };
  } catch (err) {
    if (!(err instanceof PlaidApiError)) {
      console.error('fake plaid: handler crashed', err);
      err = plaidError('INTERNAL_SERVER_ERROR');
    }
    const e = err as PlaidApiError;
    return { status: e.status, body: { ...withoutStatus(e.body), request_id: id }, item };
  }
}

function parseBody(raw: string): Body {
  try {
    const v: unknown = JSON.parse(raw);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Body;
  } catch {
    // fall through
  }
  throw plaidError('INVALID_BODY');
}

function authenticate(fake: FakePlaid, body: Body, headers: RawRequest['headers']): void {
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const clientId = body.client_id ?? header('plaid-client-id');
  const secret = body.secret ?? header('plaid-secret');
  const missing = [clientId ? null : 'client_id', secret ? null : 'secret'].filter(Boolean);
  if (missing.length) throw plaidError('MISSING_FIELDS', { fields: missing.join(', ') });
  if (clientId !== fake.clientId || secret !== fake.secret) throw plaidError('INVALID_API_KEYS');
}

function checkFields(route: Route, body: Body): void {
  const allowed = new Set(['client_id', 'secret', ...route.fields]);
  const unknown = Object.keys(body).filter((k) => !allowed.has(k));
  if (unknown.length) throw plaidError('UNKNOWN_FIELDS', { fields: unknown.join(', ') });
  const missing = route.required.filter((k) => body[k] === undefined || body[k] === null || body[k] === '');
  if (missing.length) throw plaidError('MISSING_FIELDS', { fields: missing.join(', ') });
}

function failIfScripted(kind: FailureKind | null, path: string): void {
  if (kind === 'rate_limit') throw rateLimitError(path);
  if (kind === 'server_error') throw plaidError('INTERNAL_SERVER_ERROR');
}

/** `status` is only part of errors delivered by webhook; HTTP answers carry it in the status line. */
function withoutStatus(e: PlaidErrorBody): PlaidErrorBody {
  const { status: _status, ...rest } = e;
  return rest as PlaidErrorBody;
}
