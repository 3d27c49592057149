// Bad input never reaches a handler: malformed JSON, wrong types, unknown or missing fields,
// oversized bodies and wrong content types get a 4xx problem+json naming the field and the reason,
// never a 500, and nothing is written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { TestClient } from '../../test/support/client.ts';
import { apiToken, newUser, signUp } from '../../test/support/users.ts';

const MAX = 4096;

describe('bad input', () => {
  let s: TestServer;
  let token: string;
  let handled = 0;

  before(async () => {
    s = await startTestServer({
      config: { http: { maxBodyBytes: MAX } } as never,
      extend: (_app, k) => {
        k.api.add({
          method: 'post',
          path: '/test-notes/:id',
          tag: 'Test',
          summary: 'Store a note (test route)',
          params: z.object({ id: z.uuid() }).strict(),
          query: z.object({ mode: z.enum(['draft', 'final']).optional() }).strict(),
          body: z.object({
            title: z.string().min(1).max(50),
            amount: z.string().regex(/^-?\d+\.\d{2}$/, 'must be a decimal string like "-12.50"'),
            tags: z.array(z.string()).max(3).default([]),
            text: z.string().max(100_000).optional(),
          }).strict(),
          handler: async ({ params, body }) => {
            handled++;
            await k.db.admin`insert into public.test_notes (id, title) values (${params.id}, ${body.title})`;
            return { ok: true };
          },
        });
        // Echoes its query: how repeated keys arrive.
        k.api.add({
          method: 'get',
          path: '/test-echo',
          tag: 'Test',
          summary: 'Echo the query (test route)',
          query: z.object({
            labels: z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(z.string())).optional(),
            limit: z.coerce.number().int().optional(),
          }).strict(),
          handler: async ({ query }) => query,
        });
      },
    });
    await s.kernel.db.admin`create table public.test_notes (id uuid, title text)`;
    const { user } = await newUser(s.baseUrl);
    token = await apiToken(s.baseUrl, user.email);
  });
  after(() => s?.close());

  const id = '5d1f0a4e-7c55-4bb1-9a49-0f6f3d1c2b7e';
  const post = (body: BodyInit | null, headers: Record<string, string> = {}, path = `/api/v1/test-notes/${id}`) =>
    fetch(s.baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}`, ...headers },
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);

  async function expectProblem(res: Response, status: number) {
    assert.equal(res.status, status);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const p = await res.json();
    assert.equal(p.status, status);
    assert.equal(p.requestId, res.headers.get('x-request-id'));
    return p as { title: string; detail: string; errors?: { field: string; message: string }[] };
  }
  const fields = (p: { errors?: { field: string }[] }) => [...new Set((p.errors ?? []).map((e) => e.field))].sort();

  it('accepts a good request (so the refusals below are about the input)', async () => {
    const res = await post(JSON.stringify({ title: 'Rent', amount: '-950.00' }));
    assert.equal(res.status, 201);
    assert.equal(handled, 1);
    await s.kernel.db.admin`delete from public.test_notes`;
    handled = 0;
  });

  it('malformed JSON: 400 saying so', async () => {
    const p = await expectProblem(await post('{"title": "Rent", "amount": '), 400);
    assert.match(p.detail, /malformed JSON/);
  });

  it('wrong types: 400 naming each field and why', async () => {
    const p = await expectProblem(await post(JSON.stringify({ title: 42, amount: -950, tags: 'rent' })), 400);
    assert.deepEqual(fields(p), ['body.amount', 'body.tags', 'body.title']);
    assert.match(p.errors!.find((e) => e.field === 'body.title')!.message, /must be text/);
  });

  it('values out of range: 400 with the rule that failed', async () => {
    const p = await expectProblem(await post(JSON.stringify({ title: '', amount: '12.5', tags: ['a', 'b', 'c', 'd'] })), 400);
    assert.deepEqual(fields(p), ['body.amount', 'body.tags', 'body.title']);
    assert.match(p.errors!.find((e) => e.field === 'body.amount')!.message, /decimal string/);
  });

  it('missing required fields: 400 naming them', async () => {
    const p = await expectProblem(await post(JSON.stringify({})), 400);
    assert.deepEqual(fields(p), ['body.amount', 'body.title']);
  });

  it('unknown fields: 400 listing them rather than ignoring them', async () => {
    const p = await expectProblem(await post(JSON.stringify({ title: 'Rent', amount: '-950.00', houseHoldId: 'x', admin: true })), 400);
    assert.equal(p.errors!.length, 1);
    assert.match(p.errors![0].message, /unknown field\(s\): houseHoldId, admin/);
  });

  it('a JSON body that is not an object: 400', async () => {
    for (const body of ['[]', '"text"', 'null', '12']) {
      const p = await expectProblem(await post(body), 400);
      assert.ok(p.errors?.length, body);
    }
  });

  it('bad path and query parameters: 400 naming them', async () => {
    let p = await expectProblem(await post(JSON.stringify({ title: 'Rent', amount: '-950.00' }), {}, '/api/v1/test-notes/not-a-uuid'), 400);
    assert.deepEqual(fields(p), ['params.id']);
    p = await expectProblem(await post(JSON.stringify({ title: 'Rent', amount: '-950.00' }), {}, `/api/v1/test-notes/${id}?mode=maybe&x=1`), 400);
    assert.deepEqual(fields(p), ['query', 'query.mode']);
  });

  it('wrong content type: 415', async () => {
    const form = new URLSearchParams({ title: 'Rent', amount: '-950.00' }).toString();
    const p = await expectProblem(await post(form, { 'content-type': 'application/x-www-form-urlencoded' }), 415);
    assert.match(p.detail, /application\/json/);
    await expectProblem(await post(JSON.stringify({ title: 'Rent', amount: '-950.00' }), { 'content-type': 'text/plain' }), 415);
  });

  it(`oversized bodies (> maxBodyBytes): 413, whether announced or streamed`, async () => {
    const big = JSON.stringify({ title: 'Rent', amount: '-950.00', text: 'x'.repeat(MAX) });
    let p = await expectProblem(await post(big), 413);
    assert.match(p.detail, new RegExp(`${MAX} bytes`));
    // Chunked, with no content-length: counted as it arrives.
    const chunks = [new TextEncoder().encode(big.slice(0, 2000)), new TextEncoder().encode(big.slice(2000))];
    const stream = new ReadableStream({ pull(c) { const next = chunks.shift(); if (next) c.enqueue(next); else c.close(); } });
    p = await expectProblem(await post(stream), 413);
  });

  it('kernel routes refuse bad input the same way (auth token exchange, token creation)', async () => {
    let res = await fetch(`${s.baseUrl}/api/v1/auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 5, password: 'x', remember: true }),
    });
    let p = await expectProblem(res, 400);
    assert.deepEqual(fields(p), ['body', 'body.email']);
    const [{ n: before }] = await s.kernel.db.admin`select count(*)::int as n from kernel.personal_access_tokens`;
    res = await post(JSON.stringify({ name: 'ci', scopes: ['admin'] }), {}, '/api/v1/tokens');
    p = await expectProblem(res, 400);
    assert.deepEqual(fields(p), ['body.scopes.0']);
    const [{ n: afterCount }] = await s.kernel.db.admin`select count(*)::int as n from kernel.personal_access_tokens`;
    assert.equal(afterCount, before);
  });

  it('the NUL character, which PostgreSQL text cannot hold: 400 naming the field, wherever it is', async () => {
    let p = await expectProblem(await post(JSON.stringify({ title: 'Re\u0000nt', amount: '-950.00' })), 400);
    assert.deepEqual(fields(p), ['body.title']);
    assert.match(p.errors![0].message, /NUL character/);
    p = await expectProblem(await post(JSON.stringify({ title: 'Rent', amount: '-950.00', tags: ['ok', 'b\u0000d'] })), 400);
    assert.deepEqual(fields(p), ['body.tags.1']);
    p = await expectProblem(await post(JSON.stringify({ title: 'Rent', amount: '-950.00' }), {}, `/api/v1/test-notes/${id}?mode=dr%00aft`), 400);
    assert.deepEqual(fields(p), ['query.mode']);
    p = await expectProblem(await post(JSON.stringify({ title: 'Rent', amount: '-950.00' }), {}, '/api/v1/test-notes/ab%00cd'), 400);
    assert.deepEqual(fields(p), ['params.id']);
  });

  it('a page form with a NUL in a field: 400, and nothing is created', async () => {
    const client = new TestClient(s.baseUrl);
    await signUp(client);
    const res = await client.form('/households', { name: 'Nul\u0000house', baseCurrency: 'EUR', timeZone: 'UTC' });
    assert.equal(res.status, 400);
    assert.match(res.text, /NUL character/);
    const [{ n }] = await s.kernel.db.admin`select count(*)::int as n from kernel.households where name like 'Nul%'`;
    assert.equal(n, 0);
  });

  it('a repeated query key is a list (OpenAPI form style), never silently its last value', async () => {
    const get = (q: string) => fetch(`${s.baseUrl}/api/v1/test-echo?${q}`, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    let res = await get('labels=a&labels=b');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { labels: ['a', 'b'] });
    res = await get('labels=a,b&limit=5');
    assert.deepEqual(await res.json(), { labels: ['a', 'b'], limit: 5 });
    const p = await expectProblem(await get('limit=1&limit=2'), 400);
    assert.deepEqual(fields(p), ['query.limit']);
  });

  it('nothing was written by any refused request, and no handler ran', async () => {
    assert.equal(handled, 0);
    const [{ n }] = await s.kernel.db.admin`select count(*)::int as n from public.test_notes`;
    assert.equal(n, 0);
  });
});
