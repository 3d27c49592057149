// Which parts of Plaid's OpenAPI spec the fake must conform to: the endpoints it serves and the
// webhook bodies it sends. extract-schemas.ts copies exactly these schemas (and what they refer to)
// into spec-extract.json.
import { WEBHOOK_SCHEMAS } from './webhook-payloads.ts';

/** The spec, relative to the repository root (it lives beside the repo, not in it). */
export const SPEC_PATH_FROM_REPO = '../shared/specs/plaid-2020-09-14.yml';

export const ENDPOINTS = [
  '/link/token/create',
  '/sandbox/public_token/create',
  '/item/public_token/exchange',
  '/item/get',
  '/item/remove',
  '/accounts/get',
  '/accounts/balance/get',
  '/transactions/sync',
  '/investments/holdings/get',
  '/liabilities/get',
  '/webhook_verification_key/get',
  '/institutions/get_by_id',
  '/sandbox/item/fire_webhook',
  '/sandbox/item/reset_login',
] as const;

/** Schemas needed beyond the endpoints' responses: the error shape and every webhook body. */
export const EXTRA_SCHEMAS = ['PlaidError', ...new Set(Object.values(WEBHOOK_SCHEMAS))].sort();
