// A hostile sandboxed plugin attacks its own worker's limits: CPU, heap, memory outside the heap,
// message size, message floods, a crash. Each time the worker is stopped, the plugin's pages and
// fragments show an inline error, the kernel and the other plugin keep serving meanwhile, and the
// plugin comes back on its own (restarted with backoff).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { fixture } from './test-support/direct.ts';

describe('sandbox: resource limits and faults', () => {
  let t: TestKernel;
  let alice: TestSession;
  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: fixture('hello'), mode: 'sandboxed' }, { dir: fixture('hostile'), mode: 'sandboxed' }] });
    alice = await t.signUp();
  });
  after(() => t?.close());

  async function appServes() {
    assert.equal((await alice.api('GET', '/api/v1/me')).status, 200);
    const hello = await alice.get('/p/hello/hello?name=still', { 'hx-request': 'true' });
    assert.equal(hello.status, 200);
    assert.match(hello.text, /Hello, still!/);
  }

  async function recovers() {
    for (let i = 0; i < 300; i++) {
      const r = await alice.get('/p/hostile/ok', { 'hx-request': 'true' });
      if (r.status === 200) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.fail('the plugin did not come back');
  }

  /** Runs the attack while checking that everything else answers, then expects an inline error. */
  async function stopsWorker(path: string, reason: RegExp) {
    const pending = alice.get(`/p/hostile${path}`, { 'hx-request': 'true' });
    await appServes();
    const res = await pending;
    assert.equal(res.status, 503, res.text.slice(0, 300));
    assert.match(res.text, /class="plugin-error"/);
    assert.match(res.text, reason);
    // While it restarts, its fragment shows an inline error instead of hanging; the rest serves.
    const card = await alice.get('/p/hostile/_slot/home.card', { 'hx-request': 'true' });
    assert.ok(card.status === 200 || (card.status === 503 && /class="plugin-error"/.test(card.text)), `${card.status} ${card.text.slice(0, 200)}`);
    await appServes();
    await recovers();
  }

  test('a CPU spin is stopped at the CPU deadline and the plugin restarts', () => stopsWorker('/limits/spin', /cpu: no response for \d+ ms/));
  test('a heap bomb is stopped at the heap limit and the plugin restarts', () => stopsWorker('/limits/heap', /heap: heap limit of \d+ MB reached/));
  test('a bomb of ArrayBuffers (outside the heap) is stopped and the plugin restarts', () => stopsWorker('/limits/external', /external-memory: \d+ MB outside the heap/));
  test('a flood of log messages is stopped and the plugin restarts', () => stopsWorker('/limits/flood-logs', /flood: more than \d+ messages in a second/));
  test('a flood of capability calls is stopped and the plugin restarts', () => stopsWorker('/limits/flood-caps', /flood: more than \d+ capability calls in flight/));
  test('a capability call over the message size limit is stopped and the plugin restarts', () => stopsWorker('/limits/big-cap', /oversize: a \d+-byte message exceeds/));

  test('a payload shaped to stall the kernel (a sparse array of length 2^32-1) is refused and the worker stopped', () =>
    stopsWorker('/limits/sparse', /protocol: undecodable or unbounded message/));

  test('a response over the message size limit is refused (the worker lives on)', async () => {
    const res = await alice.get('/p/hostile/limits/big-response', { 'hx-request': 'true' });
    assert.equal(res.status, 502);
    assert.match(res.text, /exceeds \d+ bytes/);
    assert.equal((await alice.get('/p/hostile/ok', { 'hx-request': 'true' })).status, 200);
  });

  test('a crashed plugin fails fast while it restarts, then serves again', async () => {
    const first = await alice.get('/p/hostile/limits/crash', { 'hx-request': 'true' });
    assert.ok([200, 503].includes(first.status), `${first.status}`); // the crash may beat the answer
    let sawDown = false;
    for (let i = 0; i < 100 && !sawDown; i++) {
      const r = await alice.get('/p/hostile/ok', { 'hx-request': 'true' });
      if (r.status === 503) sawDown = /crashed on purpose|restarting|crash/.test(r.text);
      else await new Promise((res) => setTimeout(res, 20));
    }
    assert.ok(sawDown, 'requests during the restart get an inline error at once');
    await appServes();
    await recovers();
  });
});
