// PLACEHOLDER (auth lands next).
import type { Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
export function registerAuthRoutes(_app: Hono<AppEnv>, _k: Kernel): void {}
