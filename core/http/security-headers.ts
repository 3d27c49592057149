// Security headers on every response. Scripts run only with this response's nonce (or from /static).
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

/** The kernel's Content-Security-Policy; `extra` adds sources to directives (a plugin page's, see core/plugins/page-assets.ts). */
export function contentSecurityPolicy(nonce: string, extra: Record<string, string[]> = {}): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", `'nonce-${nonce}'`]],
    ['style-src', ["'self'", "'unsafe-inline'"]], // htmx indicators set inline styles
    ['img-src', ["'self'", 'data:']],
    ['connect-src', ["'self'"]],
    ['frame-src', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['object-src', ["'none'"]],
  ];
  return directives.map(([name, sources]) => [name, ...sources, ...(extra[name] ?? [])].join(' ')).join('; ');
}

export function securityHeaders(opts: { https: boolean }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const nonce = randomBytes(16).toString('base64');
    c.set('nonce', nonce);
    await next();
    const h = c.res.headers;
    if (!h.has('content-security-policy')) h.set('content-security-policy', contentSecurityPolicy(nonce));
    h.set('x-content-type-options', 'nosniff');
    h.set('referrer-policy', 'same-origin');
    h.set('x-frame-options', 'DENY');
    h.set('cross-origin-opener-policy', 'same-origin');
    if (opts.https) h.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  };
}
