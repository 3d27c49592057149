// Logs: exactly one JSON line per request, carrying its request id, and no secret from the
// request (passwords, tokens, cookies, query strings) anywhere in the output.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setLogLevel } from '../log.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { DEFAULT_PASSWORD, newUser } from '../../test/support/users.ts';

describe('request logs', () => {
  let s: TestServer;
  let captured = '';
  const originals = { out: process.stdout.write, err: process.stderr.write };

  before(async () => {
    s = await startTestServer();
    setLogLevel('info');
    const tap = (orig: typeof process.stdout.write) =>
      function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
        // The test runner reports to its parent through stdout in binary (Buffers); logs are strings.
        if (typeof chunk === 'string') captured += chunk;
        return (orig as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof process.stdout.write;
    process.stdout.write = tap(originals.out);
    process.stderr.write = tap(originals.err);
  });
  after(async () => {
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
    setLogLevel('warn');
    await s?.close();
  });

  it('writes one line per request with its id, and never a secret', async () => {
    const secrets = ['Hunter2-SECRET-pw', 'mff_pat_SECRETPATVALUE0123456789', 'COOKIESECRETVALUE', 'QUERYSECRET', DEFAULT_PASSWORD];
    const ids: string[] = [];
    const track = async (res: Response | Promise<Response>) => {
      const r = await res;
      await r.arrayBuffer();
      ids.push(r.headers.get('x-request-id')!);
      return r;
    };
    // A sign-up posts a password in a form; the token exchange posts one as JSON.
    const { user } = await newUser(s.baseUrl);
    await track(fetch(`${s.baseUrl}/api/v1/auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: secrets[0] }),
    }));
    await track(fetch(`${s.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${secrets[1]}` } }));
    await track(fetch(`${s.baseUrl}/healthz?token=${secrets[3]}`, { headers: { cookie: `mff_session=${secrets[2]}; other=1` } }));
    await track(fetch(`${s.baseUrl}/api/v1/does-not-exist?api_key=${secrets[3]}`));
    await new Promise((r) => setImmediate(r));

    const lines = captured.split('\n').filter(Boolean);
    const entries = lines.map((l) => JSON.parse(l)); // every line is JSON
    const requests = entries.filter((e) => e.msg === 'request');
    for (const id of ids) {
      const mine = requests.filter((e) => e.requestId === id);
      assert.equal(mine.length, 1, `exactly one line for request ${id}`);
      assert.equal(typeof mine[0].status, 'number');
      assert.equal(typeof mine[0].ms, 'number');
      assert.ok(mine[0].time && mine[0].level === 'info' && mine[0].method);
      assert.ok(!mine[0].path.includes('?'), 'no query string in the path');
    }
    // The sign-up's own requests are logged too (GET /signup, POST /signup, ...), one line each.
    const all = new Set(requests.map((e) => e.requestId));
    assert.equal(all.size, requests.length, 'no request logged twice');
    assert.ok(requests.some((e) => e.method === 'POST' && e.path === '/signup'));
    for (const secret of secrets) assert.ok(!captured.includes(secret), `a secret leaked into the log: ${secret.slice(0, 6)}…`);
  });
});
