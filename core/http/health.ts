// Liveness (the process answers) and readiness (database reachable and job bus running).
import type { Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from './env.ts';

export function registerHealth(app: Hono<AppEnv>, k: Kernel): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks: Record<string, string> = {};
    try {
      await k.db.app`select 1`;
      checks.database = 'ok';
    } catch {
      checks.database = 'unreachable';
    }
    checks.jobs = k.config.MFF_ROLE === 'web' || k.jobs.ready() ? 'ok' : 'not started';
    const ready = Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  });
}
