// /transactions/sync: pages of net updates since the cursor's position, `count` at a time. A page
// cursor remembers the log head its pagination started at; if the head has moved when the next page
// is asked for, the answer is TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION and the client must
// restart from the cursor that began the pagination (as Plaid documents).
import { decodeCursor, encodeCursor, type Cursor } from '../cursor.ts';
import { plaidError } from '../errors.ts';
import type { PfcVersion } from '../pfc.ts';
import { renderAccount, renderTransaction } from '../render.ts';
import { optBool, optInt, optObject, optString, type Route } from './route.ts';

export const transactionRoutes: Route[] = [
  {
    path: '/transactions/sync',
    fields: ['access_token', 'cursor', 'count', 'options'],
    required: ['access_token'],
    item: 'usable',
    handle({ fake, item, body }) {
      const count = optInt(body.count, 'count', 1, 500) ?? 100;
      const options = optObject(body.options, 'options');
      const version = optString(options.personal_finance_category_version, 'options.personal_finance_category_version') ?? 'v2';
      if (version !== 'v1' && version !== 'v2') throw plaidError('INVALID_FIELD', { detail: 'personal_finance_category_version must be v1 or v2' });
      const render = { pfcVersion: version as PfcVersion, includeOriginalDescription: optBool(options.include_original_description, 'options.include_original_description') ?? false };
      const accountId = optString(options.account_id, 'options.account_id');
      if (accountId !== undefined && !item.accounts.some((a) => a.account_id === accountId)) throw plaidError('INVALID_FIELD', { detail: 'account_id is not an account of this item' });
      const accounts = item.accounts
        .filter((a) => a.type === 'depository' || a.type === 'credit' || a.subtype === 'student')
        .filter((a) => accountId === undefined || a.account_id === accountId)
        .map((a) => renderAccount(a));

      const raw = optString(body.cursor, 'cursor') ?? '';
      if (item.updateStatus === 'NOT_READY') {
        return { added: [], modified: [], removed: [], next_cursor: raw, has_more: false, accounts, transactions_update_status: 'NOT_READY' };
      }
      const cursor: Cursor | null = raw === '' ? { itemId: item.item_id, from: 0 } : decodeCursor(raw, item.item_id);
      if (!cursor || cursor.from > item.log.head) throw plaidError('INVALID_FIELD', { detail: 'cursor is not valid for this item' });
      if (cursor.page) {
        if (item.mutateOnNextPage) {
          item.mutateOnNextPage = false;
          fake.control(item).addGenerated(1);
        }
        if (item.log.head !== cursor.page.head) throw plaidError('TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');
      }

      const head = item.log.head;
      const updates = item.log.updatesSince(cursor.from, accountId);
      const offset = cursor.page?.offset ?? 0;
      if (offset > updates.length) throw plaidError('INVALID_FIELD', { detail: 'cursor is not valid for this item' });
      const page = updates.slice(offset, offset + count);
      const hasMore = offset + count < updates.length;
      const next: Cursor = hasMore ? { itemId: item.item_id, from: cursor.from, page: { head, offset: offset + count } } : { itemId: item.item_id, from: head };
      return {
        added: page.filter((u) => u.kind === 'added').map((u) => renderTransaction(u.txn, render)),
        modified: page.filter((u) => u.kind === 'modified').map((u) => renderTransaction(u.txn, render)),
        removed: page.filter((u) => u.kind === 'removed').map((u) => ({ account_id: u.txn.account_id, transaction_id: u.txn.transaction_id })),
        next_cursor: encodeCursor(next),
        has_more: hasMore,
        accounts,
        transactions_update_status: item.updateStatus,
      };
    },
  },
];
