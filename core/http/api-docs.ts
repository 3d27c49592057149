// The API's description: the OpenAPI 3.1 document (generated from the zod schemas that validate
// requests) and a reference page rendered from it on the server, so it needs no CDN and no script.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import { API_PREFIX } from './api.ts';
import { docModel } from './api-docs-model.ts';
import type { AppEnv } from './env.ts';

const INTRO = `The mff JSON API. Authenticate with \`Authorization: Bearer <token>\`, using a personal access
token (created under Access tokens in the app, or with POST ${API_PREFIX}/tokens) or an access token from
POST ${API_PREFIX}/auth/token. A token with the \`read\` scope may call GET routes; other methods need \`write\`.
Requests act for the caller's current household. Request bodies are JSON (\`content-type: application/json\`);
unknown fields are rejected. Money amounts are decimal strings, negative for money out. Errors are
\`application/problem+json\` (RFC 9457) with \`status\`, \`title\`, \`detail\`, a \`requestId\` to quote, and for
invalid input an \`errors\` list of \`{ field, message }\`.`;

export function openapiDocument(k: Kernel): Record<string, any> {
  const { version } = JSON.parse(readFileSync(join(k.config.rootDir, 'package.json'), 'utf8'));
  const doc = k.api.openapi({ title: 'mff API', version }) as Record<string, any>;
  doc.info.description = INTRO;
  return doc;
}

function scopes(k: Kernel): Map<string, string> {
  return new Map(
    k.api.routes.map((r) => [
      `${r.method.toUpperCase()} ${(API_PREFIX + r.path).replace(/:(\w+)/g, '{$1}')}`,
      r.scope ?? (r.method === 'get' ? 'read' : 'write'),
    ]),
  );
}

export function registerApiDocs(app: Hono<AppEnv>, k: Kernel): void {
  app.get(`${API_PREFIX}/openapi.json`, (c) => c.json(openapiDocument(k)));
  app.get('/api/docs', (c) =>
    k.views.page(c, 'api-docs', {
      groups: docModel(openapiDocument(k) as never, scopes(k)),
      prefix: API_PREFIX,
      maxBodyBytes: k.config.http.maxBodyBytes,
    }, { title: 'API reference' }),
  );
}
