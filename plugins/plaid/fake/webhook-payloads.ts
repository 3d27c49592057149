// Webhook bodies as Plaid sends them, by code. WEBHOOK_SCHEMAS names each one's schema in the spec,
// which the conformance test validates them against.
import { webhookError } from './errors.ts';
import type { FakeItem } from './item.ts';

export type WebhookCode =
  | 'SYNC_UPDATES_AVAILABLE' | 'DEFAULT_UPDATE' | 'HOLDINGS_DEFAULT_UPDATE' | 'LIABILITIES_DEFAULT_UPDATE'
  | 'ERROR' | 'PENDING_EXPIRATION' | 'PENDING_DISCONNECT' | 'USER_PERMISSION_REVOKED' | 'NEW_ACCOUNTS_AVAILABLE' | 'LOGIN_REPAIRED';

export const WEBHOOK_SCHEMAS: Record<WebhookCode, string> = {
  SYNC_UPDATES_AVAILABLE: 'SyncUpdatesAvailableWebhook',
  DEFAULT_UPDATE: 'DefaultUpdateWebhook',
  HOLDINGS_DEFAULT_UPDATE: 'HoldingsDefaultUpdateWebhook',
  LIABILITIES_DEFAULT_UPDATE: 'LiabilitiesDefaultUpdateWebhook',
  ERROR: 'ItemErrorWebhook',
  PENDING_EXPIRATION: 'PendingExpirationWebhook',
  PENDING_DISCONNECT: 'PendingDisconnectWebhook',
  USER_PERMISSION_REVOKED: 'UserPermissionRevokedWebhook',
  NEW_ACCOUNTS_AVAILABLE: 'NewAccountsAvailableWebhook',
  LOGIN_REPAIRED: 'ItemLoginRepairedWebhook',
};

export type WebhookExtras = {
  environment: string;
  now: Date;
  /** ERROR: the error code to report (default: the item's current error, else ITEM_LOGIN_REQUIRED). */
  errorCode?: string;
  newTransactions?: number;
  consentExpirationTime?: string;
  disconnectReason?: 'INSTITUTION_MIGRATION' | 'INSTITUTION_TOKEN_EXPIRATION';
};

export function webhookBody(item: FakeItem, code: WebhookCode, x: WebhookExtras): Record<string, unknown> {
  const base = { item_id: item.item_id, environment: x.environment };
  const inDays = (d: number) => new Date(x.now.getTime() + d * 86_400_000).toISOString();
  switch (code) {
    case 'SYNC_UPDATES_AVAILABLE':
      return { webhook_type: 'TRANSACTIONS', webhook_code: code, ...base, initial_update_complete: true, historical_update_complete: item.updateStatus === 'HISTORICAL_UPDATE_COMPLETE' };
    case 'DEFAULT_UPDATE':
      return { webhook_type: 'TRANSACTIONS', webhook_code: code, ...base, error: null, new_transactions: x.newTransactions ?? 0 };
    case 'HOLDINGS_DEFAULT_UPDATE':
      return { webhook_type: 'HOLDINGS', webhook_code: 'DEFAULT_UPDATE', ...base, error: null, new_holdings: 0, updated_holdings: item.holdings.length };
    case 'LIABILITIES_DEFAULT_UPDATE':
      return { webhook_type: 'LIABILITIES', webhook_code: 'DEFAULT_UPDATE', ...base, error: null, account_ids_with_new_liabilities: [], account_ids_with_updated_liabilities: {} };
    case 'ERROR':
      return { webhook_type: 'ITEM', webhook_code: code, ...base, error: webhookError(x.errorCode ?? item.error?.error_code ?? 'ITEM_LOGIN_REQUIRED') };
    case 'PENDING_EXPIRATION':
      return { webhook_type: 'ITEM', webhook_code: code, ...base, consent_expiration_time: x.consentExpirationTime ?? item.consentExpiration ?? inDays(7) };
    case 'PENDING_DISCONNECT':
      return { webhook_type: 'ITEM', webhook_code: code, ...base, reason: x.disconnectReason ?? 'INSTITUTION_TOKEN_EXPIRATION', disconnect_time: inDays(7) };
    case 'USER_PERMISSION_REVOKED':
      return { webhook_type: 'ITEM', webhook_code: code, ...base, error: webhookError('USER_PERMISSION_REVOKED') };
    case 'NEW_ACCOUNTS_AVAILABLE':
      return { webhook_type: 'ITEM', webhook_code: code, ...base, error: null };
    case 'LOGIN_REPAIRED':
      return { webhook_type: 'ITEM', webhook_code: code, ...base };
  }
}
