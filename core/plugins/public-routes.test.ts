// Plugins' public routes (definePlugin({ publicRoutes })) at /hooks/<plugin>/<household>/...: reached
// without sign-in or CSRF token, with the exact body bytes and no credentials, bound to the household
// the URL names (no user); refused for unknown households and plugins, and never reachable through
// the signed-in /p/<plugin>/ mount. Also: the scripts and CSP sources a page may ask the kernel for.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { availableModes, createTestKernel, type TestKernel, type TestSession } from '../../plugin-sdk/testing.ts';

const fixture = join(import.meta.dirname, 'fixtures', 'hooks');

for (const mode of await availableModes()) {
  describe(`plugin public routes and page assets (${mode})`, () => {
    let t: TestKernel;
    let alice: TestSession;
    before(async () => {
      t = await createTestKernel({ plugins: [{ dir: fixture, mode }] });
      alice = await t.signUp();
    });
    after(() => t?.close());

    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${t.baseUrl}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

    test('anyone may post to a public route: no session, no CSRF token; the plugin gets the household, no user, the exact bytes', async () => {
      const body = '{\n  "a": 1,\n  "é": "x"\n}';
      const res = await post(`/hooks/hooks/${alice.householdId}/webhook?x=1`, body, { 'x-signature': 'sig', 'content-type': 'text/plain' });
      assert.equal(res.status, 200);
      const seen = await res.json();
      assert.equal(seen.household, alice.householdId);
      assert.equal(seen.user, null);
      assert.equal(seen.role, null);
      assert.equal(seen.path, '/webhook');
      assert.equal(seen.query, '?x=1');
      assert.equal(seen.signature, 'sig');
      const { createHash } = await import('node:crypto');
      assert.equal(seen.sha256, createHash('sha256').update(body).digest('hex'));
      assert.equal(res.headers.get('set-cookie'), null, 'a public answer sets no cookie on the instance');
      assert.equal(res.headers.get('x-mff-scripts'), null);
    });

    test('credentials never reach the plugin, even when the caller is signed in', async () => {
      const res = await alice.client.request('POST', `/hooks/hooks/${alice.householdId}/webhook`, { body: '{}', headers: { 'content-type': 'application/json', authorization: 'Bearer nope' } });
      assert.equal(res.status, 200);
      assert.equal(res.json().cookie, null);
      assert.equal(res.json().authorization, null);
      assert.equal(res.json().user, null);
    });

    test('unknown households, malformed ids, unknown plugins and unknown paths are 404', async () => {
      assert.equal((await post(`/hooks/hooks/${crypto.randomUUID()}/webhook`, '{}')).status, 404);
      assert.equal((await post('/hooks/hooks/not-a-uuid/webhook', '{}')).status, 404);
      assert.equal((await post(`/hooks/nobody/${alice.householdId}/webhook`, '{}')).status, 404);
      assert.equal((await post(`/hooks/hooks/${alice.householdId}/elsewhere`, '{}')).status, 404);
      // Private routes are not public: /private exists only behind sign-in.
      assert.equal((await fetch(`${t.baseUrl}/hooks/hooks/${alice.householdId}/private`)).status, 404);
    });

    test('the public routes are not reachable through the signed-in mount', async () => {
      const res = await alice.client.request('POST', '/p/hooks/_public/webhook', { body: '{}', headers: { 'content-type': 'application/json', 'x-csrf-token': alice.client.csrf } });
      assert.equal(res.status, 404);
    });

    test("a page gets the scripts and CSP sources it asks for on its manifest's hosts, and nothing else", async () => {
      const res = await alice.get('/p/hooks/widget');
      assert.equal(res.status, 200);
      const csp = res.headers.get('content-security-policy') ?? '';
      const nonce = csp.match(/'nonce-([^']+)'/)![1];
      assert.ok(res.text.includes(`<script src="/p/hooks/widget.js" nonce="${nonce}" defer></script>`));
      assert.ok(res.text.includes(`<script src="https://cdn.example.com/w.js" nonce="${nonce}" defer></script>`));
      assert.doesNotMatch(res.text, /evil\.example\.net|\/p\/other\/x\.js|javascript:alert/);
      assert.match(csp, /frame-src 'self' https:\/\/cdn\.example\.com\//);
      assert.match(csp, /connect-src 'self' https:\/\/api\.example\.com\/(;|$)/);
      assert.doesNotMatch(csp, /evil|unsafe-inline'[^;]*connect|script-src[^;]*https/);
      assert.equal(res.headers.get('x-mff-csp'), null);
      // Another page of the same plugin keeps the kernel's policy.
      const plain = await alice.get('/p/hooks/private');
      assert.doesNotMatch(plain.headers.get('content-security-policy') ?? '', /example\.com/);
    });
  });
}
