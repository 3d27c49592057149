// A plugin's declared job retry policy (from its shape, which a sandboxed plugin sends) as queue
// options: passed through when sensible, bounded when not, backoff left to the bus unless set.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { retryOptions } from './bus-wiring.ts';

describe('plugin job retry options', () => {
  test('the declared policy reaches the queue', () => {
    assert.deepEqual(retryOptions({ retryLimit: 6, retryDelaySeconds: 30, retryBackoff: true, retryDelayMaxSeconds: 1800, expireSeconds: 120 }), {
      retryLimit: 6, retryDelay: 30, retryBackoff: true, retryDelayMax: 1800, expireInSeconds: 120,
    });
    assert.deepEqual(retryOptions({ retryDelaySeconds: 5, retryBackoff: false }), { retryDelay: 5, retryBackoff: false });
    assert.deepEqual(retryOptions({}), {}, 'nothing declared: the bus defaults (backoff on)');
  });

  test('numbers from an untrusted shape are bounded; a non-boolean backoff is ignored', () => {
    const hostile = { retryLimit: 1e9, retryDelaySeconds: -5, retryBackoff: 'yes' as unknown as boolean, retryDelayMaxSeconds: Number.NaN, expireSeconds: 1e12 };
    assert.deepEqual(retryOptions(hostile), { retryLimit: 100, retryDelay: 0, retryDelayMax: 1, expireInSeconds: 86_400 });
  });
});
