// A plugin's pages, fragments and API sit behind the kernel's auth, CSRF check, role guard and
// error handling; its API is in the OpenAPI document; disabling it hides everything but keeps data.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { createTestKernel, type TestKernel, type TestSession } from '../../plugin-sdk/testing.ts';
import { createPat } from '../../test/support/users.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

describe('plugin routes in the kernel', () => {
  let t: TestKernel;
  let owner: TestSession;
  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: fixture('notes') }, { dir: fixture('broken') }] });
    owner = await t.signUp();
  });
  after(() => t?.close());

  test('anonymous: pages redirect to log in, fragments and the API answer 401', async () => {
    const page = await fetch(`${t.baseUrl}/p/notes/`, { redirect: 'manual', headers: { accept: 'text/html' } });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login?next=%2Fp%2Fnotes%2F');
    const fragment = await fetch(`${t.baseUrl}/p/notes/_slot/home.card`, { headers: { 'hx-request': 'true' } });
    assert.equal(fragment.status, 401);
    const api = await fetch(`${t.baseUrl}/api/v1/notes/notes`, { headers: { accept: 'application/json' } });
    assert.equal(api.status, 401);
    assert.equal(api.headers.get('content-type'), 'application/problem+json');
  });

  test('an unsafe request without the CSRF token is refused before the plugin runs', async () => {
    const res = await owner.client.form('/p/notes/', { body: 'no token' }, { csrf: false });
    assert.equal(res.status, 403);
    const ok = await owner.form('/p/notes/', { body: 'with token' });
    assert.equal(ok.status, 201);
    const list = await owner.api('GET', '/api/v1/notes/notes');
    assert.deepEqual(list.json().notes.map((n: { body: string }) => n.body), ['with token']);
  });

  test('a viewer may read but the role guard refuses their writes; owner-only API routes refuse members', async () => {
    const viewer = await t.join(owner, 'viewer');
    assert.equal((await viewer.get('/p/notes/')).status, 200);
    assert.equal((await viewer.form('/p/notes/', { body: 'viewer note' })).status, 403);
    const member = await t.join(owner, 'member');
    assert.equal((await member.form('/p/notes/', { body: 'member note' })).status, 201);
    const purge = await member.api('POST', '/api/v1/notes/notes/purge');
    assert.equal(purge.status, 403);
    assert.match(purge.json().detail, /needs the owner role/);
    assert.equal((await owner.api('POST', '/api/v1/notes/notes/purge')).status, 204);
  });

  test('the plugin sees its context, never the session credentials', async () => {
    const who = (await owner.get('/p/notes/whoami')).json();
    assert.equal(who.household.id, owner.householdId);
    assert.equal(who.user.id, owner.user.id);
    assert.equal(who.role, 'owner');
    assert.deepEqual(who.plugin, { id: 'notes', version: '1.0.0', base: '/p/notes' });
    const headers = (await owner.get('/p/notes/headers', { 'x-csrf-token': owner.client.csrf })).json();
    assert.equal(headers.cookie, undefined);
    const pat = await createPat(owner.client, ['read']);
    const viaToken = await fetch(`${t.baseUrl}/p/notes/headers`, { headers: { authorization: `Bearer ${pat.token}` } });
    assert.equal(viaToken.status, 200);
    assert.equal((await viaToken.json()).authorization, undefined);
    const write = await fetch(`${t.baseUrl}/p/notes/`, { method: 'POST', headers: { authorization: `Bearer ${pat.token}` }, body: 'body=x' });
    assert.equal(write.status, 403, 'a read-only token cannot post to plugin pages');
    assert.equal(headers['x-csrf-token'], undefined);
    assert.equal(headers.accept, 'text/html');
  });

  test('a full page is wrapped in the kernel layout with the plugin in the navigation; htmx gets the fragment', async () => {
    const page = await owner.get('/p/notes/');
    assert.match(page.text, /<!doctype html>/);
    assert.match(page.text, /<a href="\/p\/notes\/" aria-current="page">Notes<\/a>/);
    assert.match(page.text, /id="p-notes-list"/);
    const fragment = await owner.get('/p/notes/', { 'hx-request': 'true' });
    assert.doesNotMatch(fragment.text, /<!doctype html>/);
    assert.match(fragment.text, /^<ul id="p-notes-list">/);
  });

  test('a form refused with 422 is shown in the layout without htmx; htmx, redirects and JSON pass through as answered', async () => {
    const plain = await owner.form('/p/notes/checked', { body: '' });
    assert.equal(plain.status, 422);
    assert.match(plain.text, /^<!doctype html>/);
    assert.match(plain.text, /<a href="\/p\/notes\/" aria-current="page">Notes<\/a>/, 'the navigation, with the plugin current');
    assert.match(plain.text, /<p class="error">A note needs a body\.<\/p>/);
    const htmx = await owner.client.form('/p/notes/checked', { body: '' }, { headers: { 'hx-request': 'true' } });
    assert.equal(htmx.status, 422);
    assert.match(htmx.text, /^<form method="post"><p class="error">/, 'htmx gets the fragment alone');
    const json = await owner.client.form('/p/notes/checked', { body: '' }, { headers: { accept: 'application/json' } });
    assert.equal(json.status, 422);
    assert.deepEqual(json.json(), { error: 'a note needs a body' });
    const ok = await owner.form('/p/notes/checked', { body: 'fine' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/p/notes/');
  });

  test("an address inside a plugin that it has no route for gets the kernel's not-found page, in the layout", async () => {
    const res = await owner.get('/p/notes/no/such/page');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.text, /There is nothing at this address\./);
    assert.match(res.text, /<nav/, 'with the app around it, not a bare text page');
  });

  test("a plugin's API routes are in the OpenAPI document, tagged with its id", async () => {
    const doc = (await owner.api('GET', '/api/v1/openapi.json')).json();
    assert.deepEqual(doc.paths['/api/v1/notes/notes'].get.tags, ['notes']);
    assert.ok(doc.paths['/api/v1/notes/notes/purge'].post);
  });

  test('a failing fragment shows an inline error; the home page and the other cards render', async () => {
    const home = await owner.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /hx-get="\/p\/notes\/_slot\/home.card"/);
    assert.match(home.text, /hx-get="\/p\/broken\/_slot\/home.card"/);
    const broken = await owner.get('/p/broken/_slot/home.card', { 'hx-request': 'true' });
    assert.equal(broken.status, 200, 'htmx swaps only 2xx answers, so the error is answered 200');
    assert.match(broken.text, /class="plugin-error" role="alert"/);
    assert.doesNotMatch(broken.text, /the card broke/, 'the error detail stays in the log');
    const notes = await owner.get('/p/notes/_slot/home.card', { 'hx-request': 'true' });
    assert.match(notes.text, /\d+ notes/);
    const page = await owner.get('/p/broken/');
    assert.equal(page.status, 500);
    assert.match(page.text, /Internal Server Error/);
  });

  test('disabled: pages, fragments and API answer 404, the card and nav are gone; enabled again, the data is back', async () => {
    await owner.form('/p/notes/', { body: 'kept' });
    await t.kernel.plugins.disable('notes');
    assert.equal((await owner.get('/p/notes/')).status, 404);
    assert.equal((await owner.get('/p/notes/_slot/home.card', { 'hx-request': 'true' })).status, 404);
    assert.equal((await owner.api('GET', '/api/v1/notes/notes')).status, 404);
    const home = await owner.get('/');
    assert.doesNotMatch(home.text, /\/p\/notes\//);
    const doc = (await owner.api('GET', '/api/v1/openapi.json')).json();
    assert.equal(doc.paths['/api/v1/notes/notes'], undefined);
    const [{ n }] = await t.asHousehold(owner.householdId, (tx) => tx`select count(*)::int as n from notes.notes`);
    assert.equal(n, 1, 'the schema and rows stay');
    await t.kernel.plugins.enable('notes');
    const list = await owner.api('GET', '/api/v1/notes/notes');
    assert.deepEqual(list.json().notes.map((x: { body: string }) => x.body), ['kept']);
  });
});
