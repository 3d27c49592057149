// Static assets with long caching: URLs carry a content hash, so a new build gets a new URL.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './env.ts';

const require = createRequire(import.meta.url);

type Asset = { body: Buffer; type: string; hash: string };

export function loadAssets(rootDir: string): Record<string, Asset> {
  const files: Record<string, [string, string]> = {
    'htmx.min.js': [require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8'],
    'pico.min.css': [require.resolve('@picocss/pico/css/pico.min.css'), 'text/css; charset=utf-8'],
    'app.css': [join(rootDir, 'views', 'static', 'app.css'), 'text/css; charset=utf-8'],
    'app.js': [join(rootDir, 'views', 'static', 'app.js'), 'text/javascript; charset=utf-8'],
    'favicon.svg': [join(rootDir, 'views', 'static', 'favicon.svg'), 'image/svg+xml'],
  };
  const assets: Record<string, Asset> = {};
  for (const [name, [path, type]] of Object.entries(files)) {
    const body = readFileSync(path);
    assets[name] = { body, type, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) };
  }
  return assets;
}

/** `/static/<name>?v=<hash>` for templates. */
export const assetUrl = (assets: Record<string, Asset>, name: string) => `/static/${name}?v=${assets[name].hash}`;

export function mountStatic(app: Hono<AppEnv>, assets: Record<string, Asset>): void {
  app.get('/static/:name', (c) => {
    // Own names only: /static/__proto__, /static/constructor... are unknown assets, not Object's.
    const name = c.req.param('name');
    if (!Object.hasOwn(assets, name)) return c.notFound();
    const a = assets[name];
    return c.body(new Uint8Array(a.body), 200, {
      'content-type': a.type,
      'cache-control': 'public, max-age=31536000, immutable',
      etag: `"${a.hash}"`,
    });
  });
}
