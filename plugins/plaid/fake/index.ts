// The fake Plaid server, for tests, benchmarks and the demo. Start with `FakePlaid.start()`.
export { FakePlaid, type FakePlaidOptions, type LinkOptions, type RequestRecord } from './fake-plaid.ts';
export { ItemControl, type TransactionInput, type TransactionPatch } from './control.ts';
export type { Delivery } from './webhook-sender.ts';
export type { WebhookRequest, WebhookVariant } from './webhook-forgery.ts';
export { postWebhook, replayOf } from './webhook-forgery.ts';
export type { WebhookCode } from './webhook-payloads.ts';
export { INSTITUTIONS } from './institutions.ts';
export { TAXONOMY, pfcFor, type PfcCategory } from './pfc.ts';
