// What a verified webhook does. Plaid sends one per event for an item; only items of this household
// are acted on (the URL names the household; an unknown item is acknowledged and ignored).
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { ITEM_STATES } from '../client/errors.ts';
import { queueSync } from '../link/exchange.ts';
import { getItem, setItemStatus, setNewAccountsAvailable } from '../store/items.ts';

export type WebhookBody = {
  webhook_type?: string;
  webhook_code?: string;
  item_id?: string;
  error?: { error_code?: string } | null;
  consent_expiration_time?: string | null;
};

export type WebhookAction = 'sync' | 'status' | 'accounts' | 'ignored';

export async function handleWebhook(ctx: PluginContext, body: WebhookBody): Promise<WebhookAction> {
  const itemId = typeof body.item_id === 'string' ? body.item_id : '';
  const item = itemId ? await getItem(ctx, itemId) : null;
  if (!item) return 'ignored';
  const type = body.webhook_type ?? '';
  const code = body.webhook_code ?? '';

  if (type === 'TRANSACTIONS' || type === 'HOLDINGS' || type === 'INVESTMENTS_TRANSACTIONS' || type === 'LIABILITIES') {
    if (code === 'RECURRING_TRANSACTIONS_UPDATE') return 'ignored';
    await queueSync(ctx, itemId); // SYNC_UPDATES_AVAILABLE, and the older *_UPDATE codes
    return 'sync';
  }
  if (type !== 'ITEM') return 'ignored';
  switch (code) {
    case 'ERROR': {
      const errorCode = body.error?.error_code ?? 'ITEM_ERROR';
      await setItemStatus(ctx, itemId, ITEM_STATES[errorCode] ?? 'error', errorCode);
      return 'status';
    }
    case 'LOGIN_REPAIRED':
      await setItemStatus(ctx, itemId, 'active', null);
      await queueSync(ctx, itemId);
      return 'sync';
    case 'PENDING_EXPIRATION':
      await setItemStatus(ctx, itemId, 'pending_expiration', 'PENDING_EXPIRATION', { consentExpiresAt: body.consent_expiration_time ?? null });
      return 'status';
    case 'PENDING_DISCONNECT':
      await setItemStatus(ctx, itemId, 'pending_disconnect', 'PENDING_DISCONNECT');
      return 'status';
    case 'USER_PERMISSION_REVOKED':
    case 'USER_ACCOUNT_REVOKED':
      await setItemStatus(ctx, itemId, 'revoked', code);
      return 'status';
    case 'NEW_ACCOUNTS_AVAILABLE':
      await setNewAccountsAvailable(ctx, itemId, true);
      return 'accounts';
    default:
      return 'ignored'; // WEBHOOK_UPDATE_ACKNOWLEDGED and future codes
  }
}
