// The job routes over real HTTP: a household reads its own job's progress (and no one else's); the
// instance admin sees failed jobs of every household with their error and attempts, and retries them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import type { TestClient } from '../../test/support/client.ts';
import { newUser } from '../../test/support/users.ts';
import { waitFor } from './test-helpers.ts';

describe('job API', () => {
  let s: TestServer;
  let admin: TestClient;
  let bob: TestClient;
  let householdA: string;
  let okJob: string;
  let failedJob: string;
  let runs = 0;

  const createHousehold = async (c: TestClient, name: string) => {
    const res = await c.api('POST', '/api/v1/households', { name, baseCurrency: 'EUR', timeZone: 'Europe/Paris' }, { headers: { 'x-csrf-token': c.csrf } });
    assert.equal(res.status, 201, res.text);
    return res.json().id as string;
  };

  before(async () => {
    s = await startTestServer({ startJobs: true });
    const first = await newUser(s.baseUrl, { name: 'Ada' });
    assert.equal(first.user.isAdmin, true, 'the first user of an instance is its admin');
    admin = first.client;
    bob = (await newUser(s.baseUrl, { name: 'Bob' })).client;
    householdA = await createHousehold(admin, 'Ada & co');
    await createHousehold(bob, 'Bob alone');

    await s.kernel.jobs.declare<{ fail?: boolean }>('test.api', async (ctx) => {
      runs++;
      await ctx.progress({ done: 3, total: 3, message: 'all accounts refreshed' });
      if (ctx.data.fail) throw new Error('the bank said no');
    }, { retryLimit: 0 });
    okJob = (await s.kernel.jobs.enqueue('test.api', { householdId: householdA, data: {} }))!;
    failedJob = (await s.kernel.jobs.enqueue('test.api', { householdId: householdA, data: { fail: true } }))!;
    await waitFor(async () => (await s.kernel.jobs.list({ state: 'failed', queue: 'test.api' })).length === 1
      && (await s.kernel.jobs.status(householdA, okJob))?.state === 'completed', 'both jobs settled');
  });
  after(() => s?.close());

  it('GET /jobs/:id shows the state and progress of a job of the current household', async () => {
    const res = await admin.api('GET', `/api/v1/jobs/${okJob}`);
    assert.equal(res.status, 200, res.text);
    const job = res.json();
    assert.equal(job.state, 'completed');
    assert.equal(job.queue, 'test.api');
    assert.deepEqual(job.progress, { done: 3, total: 3, message: 'all accounts refreshed' });
    assert.match(job.createdAt, /^\d{4}-\d\d-\d\dT/);
  });

  it('another household gets 404 for it, as for a job that does not exist', async () => {
    for (const id of [okJob, crypto.randomUUID()]) {
      const res = await bob.api('GET', `/api/v1/jobs/${id}`);
      assert.equal(res.status, 404);
      assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
    }
    assert.equal((await bob.api('GET', '/api/v1/jobs/not-a-uuid')).status, 400);
  });

  it('the admin lists failed jobs of every household with queue, error and attempts', async () => {
    const res = await admin.api('GET', '/api/v1/admin/jobs?state=failed');
    assert.equal(res.status, 200, res.text);
    const failed = res.json().jobs.find((j: any) => j.id === failedJob);
    assert.ok(failed, 'the failed job is listed');
    assert.equal(failed.queue, 'test.api');
    assert.equal(failed.state, 'failed');
    assert.equal(failed.error, 'the bank said no');
    assert.equal(failed.attempts, 1);
    assert.equal(failed.retryLimit, 0);
    assert.equal(failed.householdId, householdA);
    assert.ok(res.json().jobs.every((j: any) => j.state === 'failed'));
    const bad = await admin.api('GET', '/api/v1/admin/jobs?state=exploded');
    assert.equal(bad.status, 400);
    assert.equal(bad.json().errors[0].field, 'query.state');
  });

  it('non-admins cannot list or retry jobs', async () => {
    const res = await bob.api('GET', '/api/v1/admin/jobs?state=failed');
    assert.equal(res.status, 403);
    assert.match(res.json().detail, /administrators/);
    assert.equal((await bob.api('POST', `/api/v1/admin/jobs/${failedJob}/retry`, undefined, { headers: { 'x-csrf-token': bob.csrf } })).status, 403);
  });

  it('the admin retries a failed job and it runs again', async () => {
    const before = runs;
    const res = await admin.api('POST', `/api/v1/admin/jobs/${failedJob}/retry`, undefined, { headers: { 'x-csrf-token': admin.csrf } });
    assert.equal(res.status, 204, res.text);
    await waitFor(() => runs > before, 'the retried run');
    const again = await admin.api('POST', `/api/v1/admin/jobs/${okJob}/retry`, undefined, { headers: { 'x-csrf-token': admin.csrf } });
    assert.equal(again.status, 404, 'only failed jobs can be retried');
  });
});
