// Login throttling per account and per client IP, kept in PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TestClient } from '../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { signUp, uniqueEmail, type TestUser } from '../../test/support/users.ts';
import { MAX_PER_ACCOUNT, MAX_PER_IP, WINDOW_MINUTES } from './rate-limit.ts';

describe('login rate limiting', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  const seedFailures = (n: number, ip = '127.0.0.1') => server.kernel.db.admin`
    insert into kernel.login_attempts (email, ip, succeeded)
    select 'spray-' || i || '@example.com', ${ip}, false from generate_series(1, ${n}) i`;
  const apiLogin = (email: string, password: string) =>
    new TestClient(server.baseUrl).api('POST', '/api/v1/auth/token', { email, password });

  before(async () => {
    server = await startTestServer();
    alice = await signUp(new TestClient(server.baseUrl));
    bob = await signUp(new TestClient(server.baseUrl));
  });
  beforeEach(async () => {
    await server.kernel.db.admin`delete from kernel.login_attempts`;
  });
  after(async () => {
    await server?.close();
  });

  it(`after ${MAX_PER_ACCOUNT} failures an account is locked, even for the right password (API and page)`, async () => {
    for (let i = 0; i < MAX_PER_ACCOUNT; i++) assert.equal((await apiLogin(alice.email, 'wrong password ' + i)).status, 401);
    const res = await apiLogin(alice.email, alice.password);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= WINDOW_MINUTES * 60, `retry-after ${retry}`);
    assert.match(res.json().detail, /Too many failed sign-in attempts/);

    const browser = new TestClient(server.baseUrl);
    await browser.get('/login');
    const page = await browser.form('/login', { email: alice.email.toUpperCase(), password: alice.password });
    assert.equal(page.status, 429);
    assert.ok(Number(page.headers.get('retry-after')) > 0);
    assert.match(page.text, /Too many failed sign-in attempts\. Try again in \d+ minutes/);
    assert.equal(browser.cookies.has('mff_access'), false);

    // Other accounts from the same address are unaffected.
    assert.equal((await apiLogin(bob.email, bob.password)).status, 200);
    // Throttled attempts are not counted, so the lock lifts when the window passes.
    const [{ n }] = await server.kernel.db.admin`select count(*)::int as n from kernel.login_attempts where email = ${alice.email}`;
    assert.equal(n, MAX_PER_ACCOUNT);
    await server.kernel.db.admin`update kernel.login_attempts set at = at - make_interval(mins => ${WINDOW_MINUTES + 1})`;
    assert.equal((await apiLogin(alice.email, alice.password)).status, 200);
  });

  it('unknown emails are throttled the same way (no hint that they do not exist)', async () => {
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < MAX_PER_ACCOUNT; i++) assert.equal((await apiLogin(ghost, 'guess ' + i)).status, 401);
    assert.equal((await apiLogin(ghost, 'guess again')).status, 429);
  });

  it('a successful login clears the account\'s failures', async () => {
    for (let i = 0; i < MAX_PER_ACCOUNT - 1; i++) await apiLogin(alice.email, 'wrong ' + i);
    assert.equal((await apiLogin(alice.email, alice.password)).status, 200);
    for (let i = 0; i < MAX_PER_ACCOUNT - 1; i++) await apiLogin(alice.email, 'wrong again ' + i);
    assert.equal((await apiLogin(alice.email, alice.password)).status, 200);
  });

  it(`after ${MAX_PER_IP} failures from one address, every login from it is refused`, async () => {
    // Earlier failures seeded directly (scrypt makes each real attempt slow); the last one is real.
    await seedFailures(MAX_PER_IP - 1);
    assert.equal((await apiLogin(uniqueEmail('spray'), 'one more guess')).status, 401);
    const res = await apiLogin(bob.email, bob.password);
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    const [{ ip }] = await server.kernel.db.admin`select distinct ip from kernel.login_attempts`;
    assert.equal(ip, '127.0.0.1');
  });

  it('failures from other addresses do not count against this one', async () => {
    await seedFailures(MAX_PER_IP, '198.51.100.7');
    assert.equal((await apiLogin(bob.email, bob.password)).status, 200);
  });

  // Concurrent attempts: the limit is reserved before the slow password check, so a burst of
  // parallel guesses cannot all slip past a check that none of them has been counted in yet.
  const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

  it(`30 concurrent wrong passwords for one account: only ${MAX_PER_ACCOUNT} are checked, the rest get 429`, async () => {
    const N = 30;
    const results = await Promise.all(Array.from({ length: N }, (_, i) => apiLogin(alice.email, 'parallel guess ' + i)));
    assert.deepEqual(tally(results.map((r) => r.status)), { 401: MAX_PER_ACCOUNT, 429: N - MAX_PER_ACCOUNT });
    for (const r of results.filter((r) => r.status === 429)) {
      const retry = Number(r.headers.get('retry-after'));
      assert.ok(retry > 0 && retry <= WINDOW_MINUTES * 60, `retry-after ${retry}`);
    }
    const [{ n }] = await server.kernel.db.admin`select count(*)::int as n from kernel.login_attempts where email = ${alice.email}`;
    assert.equal(n, MAX_PER_ACCOUNT);
    // Throttled: even the right password is refused now.
    const res = await apiLogin(alice.email, alice.password);
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });

  it('concurrent wrong passwords through the sign-in form are limited the same way', async () => {
    const N = 15;
    const browser = new TestClient(server.baseUrl);
    await browser.get('/login');
    const results = await Promise.all(Array.from({ length: N }, (_, i) => browser.form('/login', { email: bob.email, password: 'form guess ' + i })));
    assert.deepEqual(tally(results.map((r) => r.status)), { 401: MAX_PER_ACCOUNT, 429: N - MAX_PER_ACCOUNT });
    assert.equal(browser.cookies.has('mff_access'), false);
    const page = await browser.form('/login', { email: bob.email, password: bob.password });
    assert.equal(page.status, 429);
    assert.ok(Number(page.headers.get('retry-after')) > 0);
    assert.equal(browser.cookies.has('mff_access'), false);
  });

  it('concurrent wrong guesses across accounts from one address stop at the per-address limit', async () => {
    const seeded = MAX_PER_IP - MAX_PER_ACCOUNT;
    await seedFailures(seeded);
    const N = 20;
    const results = await Promise.all(Array.from({ length: N }, () => apiLogin(uniqueEmail('spray'), 'parallel spray')));
    assert.deepEqual(tally(results.map((r) => r.status)), { 401: MAX_PER_IP - seeded, 429: N - (MAX_PER_IP - seeded) });
    const [{ n }] = await server.kernel.db.admin`select count(*)::int as n from kernel.login_attempts where ip = '127.0.0.1'`;
    assert.equal(n, MAX_PER_IP);
    assert.equal((await apiLogin(bob.email, bob.password)).status, 429);
  });

  it('a successful login does not count against the address', async () => {
    await seedFailures(MAX_PER_IP - 1);
    for (let i = 0; i < 3; i++) assert.equal((await apiLogin(bob.email, bob.password)).status, 200);
    const [{ n }] = await server.kernel.db.admin`select count(*)::int as n from kernel.login_attempts`;
    assert.equal(n, MAX_PER_IP - 1);
  });

  it('X-Forwarded-For is not trusted to dodge the per-address limit', async () => {
    await seedFailures(MAX_PER_IP);
    const res = await new TestClient(server.baseUrl).api('POST', '/api/v1/auth/token', { email: bob.email, password: bob.password }, {
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    assert.equal(res.status, 429);
  });
});
