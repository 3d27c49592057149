// Limits set per plugin in mff.config.ts (plugins: [{ ..., mode: 'sandboxed', limits }]): a plugin
// given a small cpuMs is stopped by a spin the default deadline lets finish, and a small
// messageBytes refuses an answer the default lets through. Bad limits stop start-up with a message
// naming the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileConfigSchema } from '../../config.ts';
import { createTestKernel, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';

const spinner = join(import.meta.dirname, '../fixtures/spinner');

async function boot(limits?: { cpuMs?: number; messageBytes?: number }): Promise<{ t: TestKernel; alice: TestSession }> {
  const t = await createTestKernel({ plugins: [{ dir: spinner, mode: 'sandboxed', limits }] });
  return { t, alice: await t.signUp() };
}

describe('sandbox limits from mff.config.ts', () => {
  let defaults: { t: TestKernel; alice: TestSession };
  let tight: { t: TestKernel; alice: TestSession };
  before(async () => {
    defaults = await boot();
    tight = await boot({ cpuMs: 200, messageBytes: 65_536 });
  });
  after(async () => {
    await defaults?.t.close();
    await tight?.t.close();
  });

  test('the default CPU deadline lets an 800 ms spin finish; cpuMs: 200 stops it', async () => {
    const ok = await defaults.alice.get('/p/spinner/spin?ms=800', { 'hx-request': 'true' });
    assert.equal(ok.status, 200, ok.text.slice(0, 300));
    assert.equal(ok.text, 'spun 800 ms');
    const stopped = await tight.alice.get('/p/spinner/spin?ms=800', { 'hx-request': 'true' });
    assert.equal(stopped.status, 503, stopped.text.slice(0, 300));
    assert.match(stopped.text, /cpu: no response for 200 ms \(CPU deadline\)/);
  });

  test('the default message size lets a 100 KB answer through; messageBytes: 65536 refuses it', async () => {
    const ok = await defaults.alice.get('/p/spinner/big?kb=100', { 'hx-request': 'true' });
    assert.equal(ok.status, 200);
    assert.equal(ok.text.length, 100 * 1024);
    // After the CPU test the tight plugin restarts (with backoff): wait until it answers again.
    for (let i = 0; i < 300 && (await tight.alice.get('/p/spinner/ok', { 'hx-request': 'true' })).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    const refused = await tight.alice.get('/p/spinner/big?kb=100', { 'hx-request': 'true' });
    assert.equal(refused.status, 502, refused.text.slice(0, 300));
    assert.match(refused.text, /exceeds (the )?65536/);
  });

  test('limits are validated: unknown keys, out-of-range values and in-process plugins are refused by name', () => {
    const parse = (entry: object) => FileConfigSchema.safeParse({ plugins: [{ id: 'x', from: './x', ...entry }] });
    assert.ok(parse({ mode: 'sandboxed', limits: { cpuMs: 500, heapMb: 128, messageBytes: 1_048_576 } }).success);
    const messages = (entry: object) => {
      const r = parse(entry);
      assert.equal(r.success, false);
      return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    assert.deepEqual(messages({ mode: 'sandboxed', limits: { cpuMs: 10 } }), ['plugins.0.limits.cpuMs: must be at least 100 (ms)']);
    assert.deepEqual(messages({ mode: 'sandboxed', limits: { heapMb: 8192 } }), ['plugins.0.limits.heapMb: must be at most 4096 (MB)']);
    assert.match(messages({ mode: 'sandboxed', limits: { cpu: 100 } })[0], /^plugins\.0\.limits: Unrecognized key.*"cpu"/);
    assert.deepEqual(messages({ mode: 'in-process', limits: { cpuMs: 500 } }), [
      "plugins.0.limits: limits apply to sandboxed plugins only (in-process code shares the kernel's process); set mode: 'sandboxed' or remove limits",
    ]);
  });
});
