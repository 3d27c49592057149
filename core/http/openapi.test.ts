// The OpenAPI document is valid OpenAPI 3.1 (checked against the official schema by
// @seriousme/openapi-schema-validator), every embedded JSON Schema compiles, and the reference page
// at /api/docs renders it locally with no external resource.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { startTestServer, type TestServer } from '../../test/support/server.ts';

describe('OpenAPI document and reference page', () => {
  let s: TestServer;
  let doc: any;

  before(async () => {
    s = await startTestServer({
      extend: (_app, k) => {
        k.api.add({
          method: 'post',
          path: '/test-widgets/:id',
          tag: 'Widgets',
          summary: 'Update a widget (test route)',
          params: z.object({ id: z.uuid() }).strict(),
          query: z.object({ dryRun: z.enum(['true', 'false']).optional() }).strict(),
          body: z.object({
            name: z.string().min(1).max(50).describe('what people call it'),
            amount: z.string().regex(/^-?\d+\.\d{2}$/).describe('decimal string'),
            kind: z.enum(['small', 'large']),
            note: z.string().nullable().optional(),
            parts: z.array(z.object({ sku: z.string(), qty: z.int().min(1) })).max(10),
          }).strict(),
          response: z.object({ id: z.uuid(), owner: z.object({ name: z.string() }) }),
          handler: async () => ({}),
        });
      },
    });
    const res = await fetch(`${s.baseUrl}/api/v1/openapi.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    doc = await res.json();
  });
  after(() => s?.close());

  it('validates against the OpenAPI 3.1 schema and all references resolve', async () => {
    const v = new Validator();
    const r = await v.validate(structuredClone(doc));
    assert.deepEqual(r.errors ?? [], [], JSON.stringify(r.errors, null, 2));
    assert.equal(r.valid, true);
    assert.equal(v.version, '3.1');
    assert.doesNotThrow(() => v.resolveRefs());
  });

  it('embeds JSON Schemas that compile, with unique operation ids', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
        ids.add(op.operationId);
        const schemas = [
          ...(op.parameters ?? []).map((p: any) => p.schema),
          op.requestBody?.content?.['application/json']?.schema,
          ...Object.values<any>(op.responses).map((r) => r.content?.['application/json']?.schema),
        ].filter(Boolean);
        for (const schema of schemas) {
          const withRefs = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
          assert.doesNotThrow(() => ajv.compile(withRefs), `${method.toUpperCase()} ${path}`);
        }
      }
    }
    assert.ok(ids.size >= 2);
  });

  it('describes a route from the same zod schemas that validate it', () => {
    const op = doc.paths['/api/v1/test-widgets/{id}'].post;
    assert.deepEqual(op.tags, ['Widgets']);
    assert.deepEqual(op.parameters.map((p: any) => `${p.in}:${p.name}:${p.required}`), ['path:id:true', 'query:dryRun:false']);
    const body = op.requestBody.content['application/json'].schema;
    assert.equal(body.additionalProperties, false, 'strict bodies reject unknown fields, and say so');
    assert.deepEqual(body.required.sort(), ['amount', 'kind', 'name', 'parts']);
    assert.equal(body.properties.parts.items.properties.qty.minimum, 1);
    assert.equal(op.responses.default.content['application/problem+json'].schema.$ref, '#/components/schemas/Problem');
    assert.ok(doc.components.securitySchemes.bearer);
    assert.match(doc.info.description, /problem\+json/);
  });

  it('renders a readable reference page with no external resource', async () => {
    const res = await fetch(`${s.baseUrl}/api/docs`, { headers: { accept: 'text/html' } });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h1>API reference<\/h1>/);
    // Grouped by tag, with the method, path, summary and field tables of the test route.
    assert.match(html, /<h2>Widgets<\/h2>/);
    assert.match(html, /POST<\/span>\s*<code>\/api\/v1\/test-widgets\/\{id\}<\/code>\s*<span>Update a widget \(test route\)/);
    for (const field of ['parts[].sku', 'parts[].qty', 'owner.name', 'dryRun']) assert.ok(html.includes(`<code>${field}</code>`), field);
    assert.match(html, /what people call it; length 1–50/);
    assert.match(html, /<code>&quot;small&quot; \| &quot;large&quot;<\/code>/);
    assert.match(html, /a token with the &#39;write&#39; scope/);
    // The intro on tokens and problem+json.
    assert.match(html, /personal access token/);
    assert.match(html, /application\/problem\+json/);
    // Served locally: no script or stylesheet from elsewhere, scripts only from /static, under the CSP.
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
    for (const [, src] of html.matchAll(/<script[^>]*src="([^"]+)"/g)) assert.match(src, /^\/static\//);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self' 'nonce-/);
  });
});
