// The public webhook endpoint: POST /hooks/plaid/<household>/webhook (definePlugin publicRoutes; no
// sign-in, no CSRF). Nothing is believed before webhook-verify.ts accepted the Plaid-Verification
// signature over these exact bytes; refusals answer 401 with the reason and change nothing.
import { ctxOf, router } from '../../../plugin-sdk/index.ts';
import { plaidClient } from '../client/index.ts';
import { handleWebhook, type WebhookBody } from '../webhooks/handle.ts';
import { verifyWebhook } from '../webhooks/verifier.ts';

export const publicRoutes = router();

publicRoutes.post('/webhook', async (c) => {
  const ctx = ctxOf(c);
  const raw = new Uint8Array(await c.req.arrayBuffer());
  let client;
  try {
    client = await plaidClient(ctx);
  } catch {
    return c.json({ error: 'not-configured' }, 503);
  }
  const result = await verifyWebhook(ctx, client.config, client.api, raw, c.req.header('plaid-verification') ?? null);
  if (!result.ok) {
    ctx.log.warn('plaid webhook refused', { reason: result.reason });
    return c.json({ error: result.reason }, 401);
  }
  const body = result.body as WebhookBody;
  const action = await handleWebhook(ctx, body);
  ctx.log.info('plaid webhook', { type: body.webhook_type, code: body.webhook_code, itemId: body.item_id, action });
  return c.json({ ok: true, action });
});
