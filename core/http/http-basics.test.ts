// The HTTP shell every route sits in: security headers, request ids, health and readiness, static
// asset caching, 404s in the caller's format, and htmx fragments versus full pages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/server.ts';

describe('HTTP shell', () => {
  let s: TestServer;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(s.baseUrl + path, { headers, redirect: 'manual' });

  before(async () => {
    s = await startTestServer();
  });
  after(() => s?.close());

  it('sets security headers, with a fresh CSP nonce per response', async () => {
    const [a, b] = [await get('/api/docs', { accept: 'text/html' }), await get('/api/docs', { accept: 'text/html' })];
    const csp = a.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    const nonce = (h: Headers) => h.get('content-security-policy')!.match(/'nonce-([^']+)'/)![1];
    assert.notEqual(nonce(a.headers), nonce(b.headers));
    assert.equal(a.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(a.headers.get('referrer-policy'), 'same-origin');
    assert.equal(a.headers.get('x-frame-options'), 'DENY');
    // Also on JSON and error responses.
    const miss = await get('/api/v1/nothing-here');
    assert.equal(miss.headers.get('x-content-type-options'), 'nosniff');
    assert.match(miss.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  });

  it('echoes a well-formed request id and replaces a bad one', async () => {
    const mine = 'req-0123456789abcdef';
    let res = await get('/healthz', { 'x-request-id': mine });
    assert.equal(res.headers.get('x-request-id'), mine);
    res = await get('/api/v1/nope', { 'x-request-id': mine });
    assert.equal((await res.json()).requestId, mine);
    res = await get('/healthz', { 'x-request-id': 'bad id\twith "quotes"' });
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const [x, y] = [await get('/healthz'), await get('/healthz')];
    assert.notEqual(x.headers.get('x-request-id'), y.headers.get('x-request-id'));
  });

  it('/healthz answers; /readyz checks the database and the job bus', async () => {
    assert.deepEqual(await (await get('/healthz')).json(), { status: 'ok' });
    let res = await get('/readyz');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ready', checks: { database: 'ok', jobs: 'ok' } });
    await s.kernel.jobs.stop();
    try {
      res = await get('/readyz');
      assert.equal(res.status, 503);
      assert.deepEqual((await res.json()).checks, { database: 'ok', jobs: 'not started' });
    } finally {
      await s.kernel.jobs.start({ work: false });
    }
    assert.equal((await get('/readyz')).status, 200);
  });

  it('serves static assets with long caching under content-hashed URLs', async () => {
    const page = await (await get('/api/docs', { accept: 'text/html' })).text();
    const src = page.match(/<script src="(\/static\/htmx\.min\.js\?v=[0-9a-f]{12})"/)?.[1];
    assert.ok(src, 'the layout links htmx by a hashed URL');
    const res = await get(src);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(res.headers.get('etag'), `"${src.split('v=')[1]}"`);
    assert.match(await res.text(), /htmx/);
    const css = page.match(/href="(\/static\/pico\.min\.css\?v=[0-9a-f]{12})"/)?.[1];
    assert.ok(css);
    assert.match((await get(css)).headers.get('content-type') ?? '', /^text\/css/);
    const icon = page.match(/<link rel="icon" type="image\/svg\+xml" href="(\/static\/favicon\.svg\?v=[0-9a-f]{12})"/)?.[1];
    assert.ok(icon, 'every page names its icon (browsers otherwise ask for /favicon.ico on every load)');
    assert.match((await get(icon)).headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.equal((await get('/static/nothing.js')).status, 404);
  });

  it("names inherited from Object.prototype are unknown assets: 404, not the prototype's members", async () => {
    const unknown = await get('/static/nothing.js');
    assert.equal(unknown.status, 404);
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      const res = await get(`/static/${name}`);
      assert.equal(res.status, 404, `/static/${name} answered ${res.status}`);
      assert.equal(res.headers.get('content-type'), unknown.headers.get('content-type'), name);
      assert.equal(res.headers.get('cache-control'), unknown.headers.get('cache-control'), name);
    }
  });

  it('unknown routes: 404 problem+json for API and scripts, an HTML page for browsers', async () => {
    let res = await get('/api/v1/no/such/route', { accept: 'application/json' });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const p = await res.json();
    assert.equal(p.status, 404);
    assert.match(p.detail, /GET \/api\/v1\/no\/such\/route/);
    res = await fetch(`${s.baseUrl}/api/v1/no/such/route`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    res = await get('/no-such-page', { accept: 'text/html' });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await res.text(), /<html[\s\S]*404/);
    res = await get('/no-such-page');
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  });

  it('a known API path asked with a method it does not answer: 405 with Allow', async () => {
    const res = await fetch(`${s.baseUrl}/api/v1/me`, { method: 'DELETE', headers: { accept: 'application/json', 'content-type': 'application/json' } });
    assert.equal(res.status, 405, await res.clone().text());
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    assert.match((await res.json()).detail, /DELETE is not allowed here; use GET, HEAD/);
  });

  it('a page requested by htmx is a fragment; a normal or boosted request gets the full page', async () => {
    const full = await get('/api/docs', { accept: 'text/html' });
    const fullHtml = await full.text();
    assert.match(fullHtml, /^<!doctype html>/i);
    assert.match(fullHtml, /<html[^>]*>[\s\S]*<h1>API reference<\/h1>/);
    assert.match(full.headers.get('vary') ?? '', /HX-Request/i);

    const frag = await get('/api/docs', { accept: 'text/html', 'hx-request': 'true' });
    const fragHtml = await frag.text();
    assert.equal(frag.status, 200);
    assert.match(fragHtml, /<h1>API reference<\/h1>/);
    assert.doesNotMatch(fragHtml, /<!doctype|<html[\s>]|<head>|<body[\s>]/i);

    const boosted = await (await get('/api/docs', { accept: 'text/html', 'hx-request': 'true', 'hx-boosted': 'true' })).text();
    assert.match(boosted, /<html/);
  });
});
