// Institutions, the webhook verification key, and the sandbox endpoints that poke an item.
import { plaidError } from '../errors.ts';
import { findInstitution } from '../institutions.ts';
import { renderInstitution } from '../render.ts';
import type { WebhookCode } from '../webhook-payloads.ts';
import { optBool, optObject, optString, optStrings, type Route } from './route.ts';

/** fire_webhook codes the fake supports, with the webhook_type each implies. */
const FIREABLE: Record<string, { type: string; code: WebhookCode }> = {
  SYNC_UPDATES_AVAILABLE: { type: 'TRANSACTIONS', code: 'SYNC_UPDATES_AVAILABLE' },
  DEFAULT_UPDATE: { type: 'TRANSACTIONS', code: 'DEFAULT_UPDATE' },
  NEW_ACCOUNTS_AVAILABLE: { type: 'ITEM', code: 'NEW_ACCOUNTS_AVAILABLE' },
  USER_PERMISSION_REVOKED: { type: 'ITEM', code: 'USER_PERMISSION_REVOKED' },
  PENDING_DISCONNECT: { type: 'ITEM', code: 'PENDING_DISCONNECT' },
  LOGIN_REPAIRED: { type: 'ITEM', code: 'LOGIN_REPAIRED' },
  ERROR: { type: 'ITEM', code: 'ERROR' },
};

export const miscRoutes: Route[] = [
  {
    path: '/institutions/get_by_id',
    fields: ['institution_id', 'country_codes', 'options'],
    required: ['institution_id', 'country_codes'],
    handle({ fake, body }) {
      const institution = findInstitution(optString(body.institution_id, 'institution_id')!);
      const countries = optStrings(body.country_codes, 'country_codes')!;
      if (!institution || !countries.some((c) => institution.country_codes.includes(c))) throw plaidError('INVALID_INSTITUTION');
      const options = optObject(body.options, 'options');
      return {
        institution: renderInstitution(institution, {
          optionalMetadata: optBool(options.include_optional_metadata, 'options.include_optional_metadata') ?? false,
          status: optBool(options.include_status, 'options.include_status') ?? false,
          now: fake.now().toISOString(),
        }),
      };
    },
  },
  {
    path: '/webhook_verification_key/get',
    fields: ['key_id'],
    required: ['key_id'],
    handle({ fake, body }) {
      const key = fake.keys.served(optString(body.key_id, 'key_id')!);
      if (!key) throw plaidError('INVALID_WEBHOOK_VERIFICATION_KEY_ID');
      return { key };
    },
  },
  {
    path: '/sandbox/item/fire_webhook',
    fields: ['access_token', 'webhook_type', 'webhook_code'],
    required: ['access_token', 'webhook_code'],
    item: 'any',
    handle({ fake, item, body }) {
      const requested = optString(body.webhook_code, 'webhook_code')!;
      const type = optString(body.webhook_type, 'webhook_type');
      let fire = FIREABLE[requested];
      if (requested === 'DEFAULT_UPDATE' && type === 'HOLDINGS') fire = { type, code: 'HOLDINGS_DEFAULT_UPDATE' };
      if (requested === 'DEFAULT_UPDATE' && type === 'LIABILITIES') fire = { type, code: 'LIABILITIES_DEFAULT_UPDATE' };
      if (!fire || (type !== undefined && type !== fire.type)) throw plaidError('INVALID_FIELD', { detail: `webhook_code ${requested} is not supported for webhook_type ${type ?? '(default)'}` });
      if (!item.webhook) throw plaidError('SANDBOX_WEBHOOK_INVALID');
      void fake.sendWebhook(item, fire.code);
      return { webhook_fired: true };
    },
  },
  {
    path: '/sandbox/item/reset_login',
    fields: ['access_token'],
    required: ['access_token'],
    item: 'any',
    handle({ fake, item }) {
      fake.control(item).requireLogin();
      return { reset_login: true };
    },
  },
];
