// Request body limits. Every route gets the instance's http.maxBodyBytes (1 MiB by default), except
// the routes a plugin's manifest declares in `bodyLimits` (statement uploads...), which get what
// the plugin asks, capped by the instance's http.maxUploadBytes. The limit is chosen per request by
// path, before any body is read, so a large upload is refused (413) as soon as it passes the limit.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
import { Problem } from '../http/problem.ts';

const PLUGIN_PATH = /^\/(?:p|api\/v1)\/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(\/.*)?$/;

/** The limit an active plugin declares for this path (/p/<id><path> or /api/v1/<id><path>), if any. */
export function declaredBodyLimit(k: Pick<Kernel, 'plugins' | 'config'>, path: string): number | undefined {
  const m = PLUGIN_PATH.exec(path);
  if (!m) return undefined;
  const p = k.plugins?.get(m[1]);
  const declared = p?.status === 'active' ? p.manifest.bodyLimits?.[m[2] ?? '/'] : undefined;
  return declared === undefined ? undefined : Math.min(declared, k.config.http.maxUploadBytes);
}

export function requestBodyLimit(k: Kernel): MiddlewareHandler<AppEnv> {
  const limiters = new Map<number, MiddlewareHandler>();
  const limiter = (max: number) => {
    let m = limiters.get(max);
    if (!m) {
      m = bodyLimit({
        maxSize: max,
        onError: () => {
          throw new Problem(413, 'Payload Too Large', `request bodies here are limited to ${max} bytes`);
        },
      });
      limiters.set(max, m);
    }
    return m;
  };
  return (c, next) => limiter(declaredBodyLimit(k, c.req.path) ?? k.config.http.maxBodyBytes)(c, next);
}
