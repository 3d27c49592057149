// The official Plaid SDK pointed at a fresh fake, and a helper to read Plaid errors off its rejections.
import { Configuration, PlaidApi } from 'plaid';
import { FakePlaid, type FakePlaidOptions } from '../../fake/index.ts';

export async function startFake(opts: FakePlaidOptions = {}): Promise<{ fake: FakePlaid; plaid: PlaidApi }> {
  const fake = await FakePlaid.start(opts);
  return { fake, plaid: new PlaidApi(new Configuration(fake.sdkConfiguration())) };
}

export type CaughtPlaidError = { status: number; body: Record<string, unknown> };

/** Awaits an SDK call that must fail; returns the HTTP status and Plaid's error body. */
export async function plaidFailure(call: Promise<unknown>): Promise<CaughtPlaidError> {
  try {
    await call;
  } catch (err) {
    const res = (err as { response?: { status: number; data: Record<string, unknown> } }).response;
    if (res) return { status: res.status, body: res.data };
    throw err;
  }
  throw new Error('expected the Plaid call to fail, but it succeeded');
}
