// PLACEHOLDER (OpenAPI lands next).
import type { Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from './env.ts';
export function registerApiDocs(app: Hono<AppEnv>, k: Kernel): void {
  app.get('/api/v1/openapi.json', (c) => c.json(k.api.openapi({ title: 'mff', version: '0.1.0' })));
}
