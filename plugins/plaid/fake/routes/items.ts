// Items and what hangs off them: /item/get, /item/remove, accounts and balances, holdings, liabilities.
import { isoDate } from '../dates.ts';
import { plaidError } from '../errors.ts';
import type { FakeItem } from '../item.ts';
import { renderHolding, renderLiabilities, renderSecurities } from '../render-holdings.ts';
import { renderAccount, renderItem } from '../render.ts';
import { optObject, optStrings, type Body, type Route } from './route.ts';

function selectedAccounts(item: FakeItem, body: Body) {
  const ids = optStrings(optObject(body.options, 'options').account_ids, 'options.account_ids');
  if (!ids) return item.accounts;
  const unknown = ids.filter((id) => !item.accounts.some((a) => a.account_id === id));
  if (unknown.length) throw plaidError('INVALID_FIELD', { detail: `account_ids contains unknown accounts: ${unknown.join(', ')}` });
  return item.accounts.filter((a) => ids.includes(a.account_id));
}

export const itemRoutes: Route[] = [
  {
    path: '/item/get',
    fields: ['access_token'],
    required: ['access_token'],
    item: 'any',
    handle({ item }) {
      return {
        item: renderItem(item, { consentFields: true }),
        status: {
          transactions: { last_successful_update: item.lastTransactionsUpdate, last_failed_update: null },
          investments: null,
          last_webhook: item.lastWebhook,
        },
      };
    },
  },
  {
    path: '/item/remove',
    fields: ['access_token', 'reason_code', 'reason_note'],
    required: ['access_token'],
    item: 'any',
    handle({ fake, item }) {
      fake.removeItem(item);
      return {};
    },
  },
  {
    path: '/accounts/get',
    fields: ['access_token', 'options'],
    required: ['access_token'],
    item: 'usable',
    handle({ item, body }) {
      return { accounts: selectedAccounts(item, body).map((a) => renderAccount(a)), item: renderItem(item) };
    },
  },
  {
    path: '/accounts/balance/get',
    fields: ['access_token', 'options', 'payment_details'],
    required: ['access_token'],
    item: 'usable',
    handle({ item, body }) {
      return { accounts: selectedAccounts(item, body).map((a) => renderAccount(a)), item: renderItem(item) };
    },
  },
  {
    path: '/investments/holdings/get',
    fields: ['access_token', 'options'],
    required: ['access_token'],
    item: 'usable',
    handle({ fake, item, body }) {
      if (!item.institution.products.includes('investments')) throw plaidError('PRODUCTS_NOT_SUPPORTED', { detail: 'this institution does not support investments' });
      if (!item.accounts.some((a) => a.type === 'investment')) throw plaidError('NO_INVESTMENT_ACCOUNTS');
      const ids = new Set(selectedAccounts(item, body).map((a) => a.account_id));
      const holdings = item.holdings.filter((h) => ids.has(h.account_id));
      const asOf = isoDate(fake.now());
      return {
        accounts: item.accounts.filter((a) => ids.has(a.account_id)).map((a) => renderAccount(a, { investment: true })),
        holdings: holdings.map((h) => renderHolding(h, asOf)),
        securities: renderSecurities(holdings, asOf),
        item: renderItem(item),
      };
    },
  },
  {
    path: '/liabilities/get',
    fields: ['access_token', 'options'],
    required: ['access_token'],
    item: 'usable',
    handle({ fake, item, body }) {
      if (!item.institution.products.includes('liabilities')) throw plaidError('PRODUCTS_NOT_SUPPORTED', { detail: 'this institution does not support liabilities' });
      const accounts = selectedAccounts(item, body);
      if (!accounts.some((a) => a.type === 'credit' || a.type === 'loan')) throw plaidError('NO_LIABILITY_ACCOUNTS');
      return {
        accounts: accounts.map((a) => renderAccount(a)),
        item: renderItem(item),
        liabilities: renderLiabilities(accounts, isoDate(fake.now())),
      };
    },
  },
];
