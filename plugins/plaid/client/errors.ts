// Plaid's errors as the rest of the plugin sees them. The transport throws PlaidApiError shaped like
// an axios error (`response.status`, `response.data.error_code`), as code written for the official
// SDK expects; `plaidErrorOf` reads the code and type off anything thrown.

export type PlaidErrorBody = {
  error_type?: string;
  error_code?: string;
  error_message?: string;
  display_message?: string | null;
  request_id?: string;
};

export type TransportResponse = { data: unknown; status: number; statusText: string; headers: Record<string, string> };

export class PlaidApiError extends Error {
  override name = 'PlaidApiError';
  readonly isAxiosError = true;
  readonly response: TransportResponse;
  constructor(response: TransportResponse) {
    const body = (response.data ?? {}) as PlaidErrorBody;
    // Never the request (it holds the secret and the access token): status, code and request id only.
    super(`Plaid answered ${response.status}${body.error_code ? ` ${body.error_code}` : ''}${body.request_id ? ` (request ${body.request_id})` : ''}`);
    this.response = response;
  }
}

export type PlaidFailure = { status: number | null; type: string | null; code: string; requestId: string | null };

/** The Plaid error code of a failure (a network failure is NETWORK_ERROR). */
export function plaidErrorOf(err: unknown): PlaidFailure {
  const res = (err as { response?: TransportResponse })?.response;
  const body = (res?.data ?? {}) as PlaidErrorBody;
  if (res && typeof body === 'object' && body.error_code) {
    return { status: res.status, type: body.error_type ?? null, code: body.error_code, requestId: body.request_id ?? null };
  }
  if (res) return { status: res.status, type: null, code: res.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'UNEXPECTED_RESPONSE', requestId: null };
  return { status: null, type: null, code: 'NETWORK_ERROR', requestId: null };
}

/** Worth trying again later: rate limits, Plaid's or the bank's temporary trouble, the network. */
export function isTransient(f: PlaidFailure): boolean {
  return f.status === null || f.status === 429 || f.status >= 500 || f.type === 'RATE_LIMIT_EXCEEDED' || f.type === 'API_ERROR'
    || ['INSTITUTION_DOWN', 'INSTITUTION_NOT_RESPONDING', 'INSTITUTION_NOT_AVAILABLE', 'PLANNED_MAINTENANCE', 'PRODUCT_NOT_READY'].includes(f.code);
}

/** Errors that put the item itself in a state the household must act on. */
export const ITEM_STATES: Record<string, 'login_required' | 'pending_expiration' | 'revoked' | 'error'> = {
  ITEM_LOGIN_REQUIRED: 'login_required',
  INVALID_CREDENTIALS: 'login_required',
  INVALID_MFA: 'login_required',
  INVALID_UPDATED_USERNAME: 'login_required',
  ITEM_LOCKED: 'login_required',
  PENDING_EXPIRATION: 'pending_expiration',
  USER_PERMISSION_REVOKED: 'revoked',
  ACCESS_NOT_GRANTED: 'revoked',
  ITEM_NOT_FOUND: 'revoked',
  INVALID_ACCESS_TOKEN: 'revoked',
  NO_ACCOUNTS: 'error',
  ITEM_NOT_SUPPORTED: 'error',
};
