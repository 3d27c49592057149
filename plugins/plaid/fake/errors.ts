// Plaid's error shape and the errors the fake can produce, with the HTTP status real Plaid uses.
// https://plaid.com/docs/errors/ — error_code is what clients branch on; error_type groups them.

export type PlaidErrorBody = {
  error_type: string;
  error_code: string;
  error_code_reason: string | null;
  error_message: string;
  display_message: string | null;
  request_id?: string;
  causes: unknown[];
  status?: number | null;
  documentation_url: string;
  suggested_action: string | null;
};

type Entry = { type: string; status: number; message: string; display?: string };

const CATALOG: Record<string, Entry> = {
  MISSING_FIELDS: { type: 'INVALID_REQUEST', status: 400, message: 'the following required fields are missing: {fields}' },
  UNKNOWN_FIELDS: { type: 'INVALID_REQUEST', status: 400, message: 'the following fields are not recognized by this endpoint: {fields}' },
  INVALID_FIELD: { type: 'INVALID_REQUEST', status: 400, message: '{detail}' },
  INVALID_BODY: { type: 'INVALID_REQUEST', status: 400, message: 'body could not be parsed as JSON' },
  NOT_FOUND: { type: 'INVALID_REQUEST', status: 404, message: 'not found' },
  INVALID_API_KEYS: { type: 'INVALID_INPUT', status: 400, message: 'invalid client_id or secret provided' },
  INVALID_ACCESS_TOKEN: { type: 'INVALID_INPUT', status: 400, message: 'provided access token is in an invalid format. expected format: access-<environment>-<identifier>' },
  INVALID_PUBLIC_TOKEN: { type: 'INVALID_INPUT', status: 400, message: 'provided public token is expired. Public tokens expire 30 minutes after creation at which point they can no longer be exchanged' },
  INVALID_LINK_TOKEN: { type: 'INVALID_INPUT', status: 400, message: 'provided link token is invalid or expired' },
  INVALID_INSTITUTION: { type: 'INVALID_INPUT', status: 400, message: 'invalid institution_id provided' },
  INVALID_PRODUCT: { type: 'INVALID_INPUT', status: 400, message: '{detail}' },
  INVALID_WEBHOOK_VERIFICATION_KEY_ID: { type: 'INVALID_INPUT', status: 400, message: 'invalid key_id provided' },
  ITEM_LOGIN_REQUIRED: {
    type: 'ITEM_ERROR', status: 400,
    message: "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state",
    display: 'Your bank needs you to sign in again to keep this connection working.',
  },
  ITEM_NOT_FOUND: { type: 'ITEM_ERROR', status: 400, message: 'the Item you requested cannot be found. This Item does not exist, has been previously removed via /item/remove, or has had access removed by the user' },
  PRODUCTS_NOT_SUPPORTED: { type: 'ITEM_ERROR', status: 400, message: '{detail}' },
  NO_INVESTMENT_ACCOUNTS: { type: 'ITEM_ERROR', status: 400, message: 'no investment accounts were found for this item' },
  NO_LIABILITY_ACCOUNTS: { type: 'ITEM_ERROR', status: 400, message: 'no liability accounts were found for this item' },
  USER_PERMISSION_REVOKED: { type: 'ITEM_ERROR', status: 400, message: 'the holder of this account has revoked their permission for your application to access it' },
  TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION: { type: 'TRANSACTIONS_ERROR', status: 400, message: 'Underlying transaction data changed since last page was fetched. Please restart pagination from last update.' },
  SANDBOX_WEBHOOK_INVALID: { type: 'SANDBOX_ERROR', status: 400, message: 'the webhook for this item is not set or is invalid' },
  INTERNAL_SERVER_ERROR: { type: 'API_ERROR', status: 500, message: 'an unexpected error occurred' },
  PLANNED_MAINTENANCE: { type: 'API_ERROR', status: 503, message: 'the Plaid API is temporarily unavailable due to planned maintenance' },
};

/** Per-endpoint rate-limit codes (RATE_LIMIT_EXCEEDED, HTTP 429); anything else gets RATE_LIMIT. */
const RATE_LIMIT_CODES: Record<string, string> = {
  '/transactions/sync': 'TRANSACTIONS_SYNC_LIMIT',
  '/accounts/get': 'ACCOUNTS_LIMIT',
  '/accounts/balance/get': 'BALANCE_LIMIT',
  '/item/get': 'ITEM_GET_LIMIT',
  '/investments/holdings/get': 'INVESTMENT_HOLDINGS_GET_LIMIT',
  '/institutions/get_by_id': 'INSTITUTIONS_GET_BY_ID_LIMIT',
};

export class PlaidApiError extends Error {
  readonly status: number;
  readonly body: PlaidErrorBody;

  constructor(status: number, body: PlaidErrorBody) {
    super(`${body.error_type} ${body.error_code}: ${body.error_message}`);
    this.status = status;
    this.body = body;
  }
}

/** The error body for `code`; `{name}` placeholders in the message are filled from `vars`. */
export function errorBody(code: string, vars: Record<string, string> = {}): { status: number; body: PlaidErrorBody } {
  const e = CATALOG[code];
  if (!e) throw new Error(`unknown fake Plaid error code ${code}`);
  return {
    status: e.status,
    body: {
      error_type: e.type,
      error_code: code,
      error_code_reason: null,
      error_message: e.message.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? ''),
      display_message: e.display ?? null,
      causes: [],
      status: e.status,
      documentation_url: `https://plaid.com/docs/errors/${docsSection(e.type)}/#${code.toLowerCase()}`,
      suggested_action: null,
    },
  };
}

export function plaidError(code: string, vars: Record<string, string> = {}): PlaidApiError {
  const { status, body } = errorBody(code, vars);
  return new PlaidApiError(status, body);
}

export function rateLimitError(path: string): PlaidApiError {
  const code = RATE_LIMIT_CODES[path] ?? 'RATE_LIMIT';
  return new PlaidApiError(429, {
    error_type: 'RATE_LIMIT_EXCEEDED',
    error_code: code,
    error_code_reason: null,
    error_message: 'rate limit exceeded for attempts to access this item. please try again later',
    display_message: null,
    causes: [],
    status: 429,
    documentation_url: `https://plaid.com/docs/errors/rate-limit-exceeded/#${code.toLowerCase()}`,
    suggested_action: null,
  });
}

/** The error as a webhook carries it: with `status`, without `request_id`. */
export function webhookError(code: string): PlaidErrorBody {
  const { body } = errorBody(code);
  return body;
}

function docsSection(type: string): string {
  return type.toLowerCase().replaceAll('_', '-').replace(/-error$/, '');
}
