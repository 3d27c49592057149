// plugin-sdk: the only mff module a plugin imports. See README.md for the guide.
import { Hono, type Context } from 'hono';
import type { PluginContext, PluginDefinition, PluginEnv } from './types.ts';

export type * from './types.ts';
export { HttpError, notFound, badRequest, forbidden, conflict } from './errors.ts';
export { SDK_VERSION } from './version.ts';
export { slot } from './slots.ts';
export { idempotent } from './idempotency.ts';
export { localTime } from './local-time.ts';
import './zod-messages.ts'; // friendly validation messages, for every zod schema in the process
export { z } from 'zod';

/** Declares a plugin. Identity at run time; its value is the typing and the checks at load. */
export function definePlugin<const D extends PluginDefinition>(def: D): D {
  return def;
}

/** A Hono app for the plugin's pages and fragments; mounted under /p/<id>/ behind the kernel's auth. */
export function router(): Hono<PluginEnv> {
  return new Hono<PluginEnv>();
}

/** Whether the caller may change the household (owner or member; viewers read): for hiding controls. */
export function canWrite(ctx: PluginContext): boolean {
  return ctx.role === 'owner' || ctx.role === 'member';
}

/** The PluginContext of the request a route handles. */
export function ctxOf(c: Context<PluginEnv>): PluginContext {
  return c.env.ctx;
}
