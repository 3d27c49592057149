// The ledger's zod schemas: they validate service input and describe the API (OpenAPI).
export * from './common.ts';
export * from './accounts.ts';
export * from './transactions.ts';
export * from './batch.ts';
export * from './categories.ts';
