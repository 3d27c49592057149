// How the job bus retries a failed sync run: a temporary problem at Plaid or the bank (5xx, rate
// limit, bank down) that outlasted the transport's own quick retries. Exponential backoff with
// jitter: retry n waits 30 s × 2^(n-1) × (1 to 2), at most 30 minutes, so six retries span about an
// hour without hammering Plaid while it recovers.
export const SYNC_RETRIES = { retryLimit: 6, retryDelaySeconds: 30, retryBackoff: true, retryDelayMaxSeconds: 1800 } as const;
