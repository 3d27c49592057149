// The ledger's JSON API under /api/v1/ledger/ (validated by the kernel, listed in OpenAPI).
import type { PluginApiRoute } from '../../../plugin-sdk/index.ts';
import { accountsApi } from './accounts.ts';
import { categoriesApi } from './categories.ts';
import { transactionsApi } from './transactions.ts';

export const api: PluginApiRoute[] = [...accountsApi, ...transactionsApi, ...categoriesApi];
