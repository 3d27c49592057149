// Item states and Plaid error codes in plain words, with what the household can do about them.
import type { ItemRow } from './store/items.ts';

export type Advice = { tone: 'ok' | 'info' | 'warn' | 'error'; text: string; action: 'reconnect' | 'accounts' | 'remove' | 'setup' | null };

const ERRORS: Record<string, string> = {
  ITEM_LOGIN_REQUIRED: 'Your bank needs you to sign in again before it shares new transactions.',
  INVALID_CREDENTIALS: 'Your bank did not accept the saved login. Sign in again.',
  INVALID_MFA: 'Your bank asked for a verification code again. Sign in again.',
  ITEM_LOCKED: 'Your bank locked the online account after failed sign-ins. Unlock it at the bank, then sign in again.',
  USER_PERMISSION_REVOKED: 'Access was withdrawn at your bank or at Plaid. Remove this connection, or connect the bank again.',
  USER_ACCOUNT_REVOKED: 'Access was withdrawn at your bank or at Plaid. Remove this connection, or connect the bank again.',
  ITEM_NOT_FOUND: 'Plaid no longer knows this connection. Remove it and connect the bank again.',
  INVALID_ACCESS_TOKEN: 'Plaid no longer accepts this connection. Remove it and connect the bank again.',
  RATE_LIMIT_EXCEEDED: 'Plaid asked us to slow down. The sync will try again shortly.',
  INTERNAL_SERVER_ERROR: 'Plaid had a temporary problem. The sync will try again shortly.',
  INSTITUTION_DOWN: 'Your bank is not answering right now. The sync will try again later.',
  INSTITUTION_NOT_RESPONDING: 'Your bank is not answering right now. The sync will try again later.',
  INSTITUTION_NOT_AVAILABLE: 'Your bank is not available through Plaid right now. The sync will try again later.',
  PLANNED_MAINTENANCE: 'Plaid is under planned maintenance. The sync will try again later.',
  PRODUCT_NOT_READY: 'Your bank is still preparing your history. It will appear shortly.',
  NETWORK_ERROR: 'Plaid could not be reached. The sync will try again shortly.',
  NOT_CONFIGURED: 'Plaid is not set up on this instance yet: the instance admin enters its keys.',
  NO_ACCESS_TOKEN: 'This connection lost its access key. Remove it and connect the bank again.',
  NOT_ALLOWED: 'This instance does not allow connecting to that Plaid address.',
};

// Plaid's rate limits have one code per endpoint (TRANSACTIONS_SYNC_LIMIT, ACCOUNTS_LIMIT...).
const RATE_LIMITED = /^(RATE_LIMIT|[A-Z_]+_LIMIT)$/;

export const errorInWords = (code: string | null): string | null =>
  code ? (ERRORS[code] ?? (RATE_LIMITED.test(code) ? ERRORS.RATE_LIMIT_EXCEEDED : `Plaid reported a problem (${code}). The sync will try again; if it keeps failing, reconnect the bank.`)) : null;

const date = (v: Date | string | null) => (v ? new Date(v).toISOString().slice(0, 10) : null);

/** What the connections page says about an item, and the button it offers. */
export function adviceFor(item: ItemRow): Advice {
  switch (item.status) {
    case 'login_required':
      return { tone: 'error', text: errorInWords(item.error_code ?? 'ITEM_LOGIN_REQUIRED')!, action: 'reconnect' };
    case 'pending_expiration':
      return { tone: 'warn', text: `Your bank's permission to share data ends${item.consent_expires_at ? ` on ${date(item.consent_expires_at)}` : ' soon'}. Reconnect before then to keep syncing.`, action: 'reconnect' };
    case 'pending_disconnect':
      return { tone: 'warn', text: 'Your bank is about to disconnect this connection (it is changing how apps connect). Reconnect to keep syncing.', action: 'reconnect' };
    case 'revoked':
      return { tone: 'error', text: errorInWords(item.error_code ?? 'USER_PERMISSION_REVOKED')!, action: 'remove' };
    case 'error':
      return { tone: 'error', text: errorInWords(item.error_code)!, action: 'reconnect' };
  }
  if (item.new_accounts_available) return { tone: 'info', text: 'New accounts were found at this bank. Choose which ones to add.', action: 'accounts' };
  return { tone: 'ok', text: 'Connected.', action: null };
}
