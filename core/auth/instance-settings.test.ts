// Instance settings that change auth: closed sign-up (only the very first account can be created)
// and https (Secure cookies).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient } from '../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { DEFAULT_PASSWORD, signUp, uniqueEmail } from '../../test/support/users.ts';

describe('closed sign-up', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { openSignup: false } });
  });
  after(async () => {
    await server?.close();
  });

  it('lets the first user in (as admin) and refuses everyone after', async () => {
    const admin = await signUp(new TestClient(server.baseUrl));
    assert.equal(admin.isAdmin, true);

    const client = new TestClient(server.baseUrl);
    const page = await client.get('/signup');
    assert.equal(page.status, 200);
    assert.match(page.text, /Sign-up is closed/);
    assert.doesNotMatch(page.text, /action="\/signup"/);
    const email = uniqueEmail('late');
    const res = await client.form('/signup', { name: 'Late', email, password: DEFAULT_PASSWORD });
    assert.equal(res.status, 403);
    assert.match(res.text, /Sign-up is closed/);
    assert.equal(client.cookies.has('mff_access'), false);
    const rows = await server.kernel.db.admin`select 1 from kernel.users where email = ${email}`;
    assert.equal(rows.length, 0);
    const [{ n }] = await server.kernel.db.admin`select count(*)::int as n from kernel.users`;
    assert.equal(n, 1);
  });

  it('concurrent first sign-ups produce exactly one account', async () => {
    const other = await startTestServer({ config: { openSignup: false } });
    try {
      const clients = [0, 1, 2, 3].map(() => new TestClient(other.baseUrl));
      await Promise.all(clients.map((c) => c.get('/signup')));
      const results = await Promise.all(clients.map((c, i) => c.form('/signup', { name: `U${i}`, email: uniqueEmail('race'), password: DEFAULT_PASSWORD })));
      assert.deepEqual(results.map((r) => r.status).sort(), [303, 403, 403, 403]);
      const rows = await other.kernel.db.admin`select is_admin from kernel.users`;
      assert.deepEqual(rows.map((r) => r.is_admin), [true]);
    } finally {
      await other.close();
    }
  });
});

describe('an instance served over https', () => {
  it('marks its auth cookies Secure', async () => {
    const server = await startTestServer({ config: { MFF_PUBLIC_URL: 'https://mff.example.org' } });
    try {
      const client = new TestClient(server.baseUrl);
      const page = await client.get('/signup');
      assert.match(page.headers.getSetCookie().find((c) => c.startsWith('mff_csrf='))!, /;\s*Secure/i);
      const res = await client.form('/signup', { name: 'S', email: uniqueEmail('secure'), password: DEFAULT_PASSWORD });
      assert.equal(res.status, 303);
      for (const name of ['mff_access', 'mff_refresh']) {
        const c = res.headers.getSetCookie().find((x) => x.startsWith(name + '='));
        assert.match(c!, /;\s*Secure/i);
        assert.match(c!, /HttpOnly/i);
      }
    } finally {
      await server.close();
    }
  });
});
