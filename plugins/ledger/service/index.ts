// The ledger's service: what sources (plaid, import, snaptrade, property), rules, budgets and the
// ledger's own routes call. Every function takes a transaction bound to one household.
export { applyTransactionBatch } from './batch.ts';
export { upsertAccounts } from './source-accounts.ts';
export { getSourceCursor } from './source-cursors.ts';
export { recordBalances, balanceHistory } from './balances.ts';
export { listAccounts, getAccount, createAccount, updateAccount, deleteAccount } from './accounts.ts';
export { getTransaction, createTransaction, updateTransaction, deleteTransaction } from './transactions.ts';
export { bulkUpdateTransactions } from './transaction-bulk.ts';
export { applyRuleChanges } from './rule-changes.ts';
export { listTransactions, type TransactionPage } from './list-transactions.ts';
export { listCategories, getCategory, createCategory, updateCategory, deleteCategory } from './categories.ts';
export { mergeCategories, type MergeResult } from './category-merge.ts';
export { seedCategories, buildCategorySeed } from './category-seed.ts';
export { netWorth, type NetWorth } from './net-worth.ts';
export { HttpError } from './errors.ts';
export type { Tx } from './tx.ts';
