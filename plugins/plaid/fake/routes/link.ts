// Link: /link/token/create (new connections and update mode), the sandbox shortcut that skips the
// Link UI, and the public → access token exchange.
import { plaidError } from '../errors.ts';
import { findInstitution } from '../institutions.ts';
import { optObject, optString, optStrings, optInt, type Route } from './route.ts';

const LINK_FIELDS = [
  'client_name', 'language', 'country_codes', 'user', 'user_id', 'user_token', 'products', 'required_if_supported_products',
  'optional_products', 'additional_consented_products', 'webhook', 'access_token', 'access_tokens', 'link_customization_name',
  'redirect_uri', 'android_package_name', 'account_filters', 'institution_id', 'transactions', 'update', 'investments',
  'hosted_link', 'enable_multi_item_link',
];

export const linkRoutes: Route[] = [
  {
    path: '/link/token/create',
    fields: LINK_FIELDS,
    required: ['client_name', 'language', 'country_codes'],
    handle({ fake, body }) {
      const user = optObject(body.user, 'user');
      if (!optString(user.client_user_id, 'user.client_user_id') && !optString(body.user_id, 'user_id') && !optString(body.user_token, 'user_token')) {
        throw plaidError('MISSING_FIELDS', { fields: 'user.client_user_id' });
      }
      const accessToken = optString(body.access_token, 'access_token');
      const products = [
        ...(optStrings(body.products, 'products') ?? []),
        ...(optStrings(body.required_if_supported_products, 'required_if_supported_products') ?? []),
      ];
      if (!accessToken && products.length === 0) throw plaidError('MISSING_FIELDS', { fields: 'products' });
      if (accessToken) fake.itemByAccessToken(accessToken);
      const link = fake.createLinkToken({ products, webhook: optString(body.webhook, 'webhook') ?? null, accessToken: accessToken ?? null });
      return { link_token: link.token, expiration: link.expiration };
    },
  },
  {
    path: '/sandbox/public_token/create',
    fields: ['institution_id', 'initial_products', 'options', 'user_token', 'user_id'],
    required: ['institution_id', 'initial_products'],
    handle({ fake, body }) {
      const institutionId = optString(body.institution_id, 'institution_id')!;
      const institution = findInstitution(institutionId);
      if (!institution) throw plaidError('INVALID_INSTITUTION');
      const products = optStrings(body.initial_products, 'initial_products')!;
      const unsupported = products.filter((p) => !institution.products.includes(p));
      if (products.length === 0 || unsupported.length) throw plaidError('INVALID_PRODUCT', { detail: `invalid products provided: ${unsupported.join(', ') || '(none)'}` });
      const options = optObject(body.options, 'options');
      const tx = optObject(options.transactions, 'options.transactions');
      const start = optString(tx.start_date, 'options.transactions.start_date');
      const end = optString(tx.end_date, 'options.transactions.end_date');
      const days = optInt(tx.days_requested, 'options.transactions.days_requested', 1, 730)
        ?? (start && end ? Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000) + 1 : undefined);
      const publicToken = fake.link({
        institutionId, products, webhook: optString(options.webhook, 'options.webhook') ?? null,
        history: days || end ? { days, endDate: end } : undefined,
      });
      return { public_token: publicToken };
    },
  },
  {
    path: '/item/public_token/exchange',
    fields: ['public_token'],
    required: ['public_token'],
    handle({ fake, body }) {
      const item = fake.exchangePublicToken(optString(body.public_token, 'public_token')!);
      return { access_token: item.access_token, item_id: item.item_id };
    },
  },
];
