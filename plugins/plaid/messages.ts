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
  PRODUCT_NOT_READY: 'Your bank is still preparing your history. It will appear shortly.',
  NOT_CONFIGURED: 'Plaid is not set up on this instance yet: the instance admin enters its keys.',
  NO_ACCESS_TOKEN: 'This connection lost its access key. Remove it and connect the bank again.',
  NOT_ALLOWED: 'This instance does not allow connecting to that Plaid address.',
};

// Problems that pass by themselves: what happened, then whether the job will retry (see below).
const TEMPORARY: Record<string, string> = {
  RATE_LIMIT_EXCEEDED: 'Plaid asked us to slow down.',
  INTERNAL_SERVER_ERROR: 'Plaid had a temporary problem.',
  INSTITUTION_DOWN: 'Your bank is not answering right now.',
  INSTITUTION_NOT_RESPONDING: 'Your bank is not answering right now.',
  INSTITUTION_NOT_AVAILABLE: 'Your bank is not available through Plaid right now.',
  PLANNED_MAINTENANCE: 'Plaid is under planned maintenance.',
  NETWORK_ERROR: 'Plaid could not be reached.',
};

// Plaid's rate limits have one code per endpoint (TRANSACTIONS_SYNC_LIMIT, ACCOUNTS_LIMIT...).
const RATE_LIMITED = /^(RATE_LIMIT|[A-Z_]+_LIMIT)$/;

/**
 * A code in plain words. `retrying`: whether a retry of the sync is still due (false once the job's
 * retries ran out; the scheduled sync, every six hours, is then the next try).
 */
export function errorInWords(code: string | null, retrying = true): string | null {
  if (!code) return null;
  if (ERRORS[code]) return ERRORS[code];
  const temporary = TEMPORARY[code] ?? (RATE_LIMITED.test(code) ? TEMPORARY.RATE_LIMIT_EXCEEDED : null);
  const next = retrying
    ? 'The sync will try again shortly.'
    : 'Its automatic retries ran out: the scheduled sync tries again within six hours, or use Sync now.';
  return temporary ? `${temporary} ${next}` : `Plaid reported a problem (${code}). ${next} If it keeps failing, reconnect the bank.`;
}

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
