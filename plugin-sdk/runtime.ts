// Runs a plugin definition: turns the kernel's calls (a request, an API call, a job, an event, a
// service method) into handler calls with a fresh PluginContext. The in-process host uses it in
// the kernel's process; the sandbox uses the very same code inside its worker, with a port whose
// methods are RPCs, so a plugin behaves the same in both modes.
import { Hono } from 'hono';
import { createPluginContext } from './context.ts';
import { HttpError } from './errors.ts';
import { createViewRenderer } from './render.ts';
import { describePlugin } from './shape.ts';
import type { CallInfo, PluginContext, PluginDefinition, PluginEnv, PluginRuntime, RuntimeHost, SlotName } from './types.ts';

export type LocalRuntimeOptions = {
  viewsDir: string;
  cacheViews?: boolean;
  /**
   * Validate API input with the route's zod schemas here. The in-process kernel validates before
   * calling (its ApiRegistry has the schemas), so it passes false; a sandbox worker passes true.
   */
  validateApi?: boolean;
};

function parse(schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { path: PropertyKey[]; message: string }[] } } } | undefined, value: unknown, where: string) {
  if (!schema) return value;
  const r = schema.safeParse(value);
  if (!r.success) {
    const errors = r.error!.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message }));
    throw new HttpError(400, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  return r.data;
}

export type LocalRuntime = PluginRuntime & { readonly definition: PluginDefinition };

export function createLocalRuntime(def: PluginDefinition, host: RuntimeHost, opts: LocalRuntimeOptions): LocalRuntime {
  const shape = describePlugin(def);
  const render = createViewRenderer(opts.viewsDir, { cache: opts.cacheViews });

  async function withCtx<T>(call: CallInfo, fn: (ctx: PluginContext) => Promise<T>): Promise<T> {
    const port = host.port(call);
    try {
      return await fn(createPluginContext(port, call, render));
    } finally {
      await port.dispose?.();
    }
  }

  // One fetch for the plugin's whole HTTP surface: its own routes, plus its fragments at /_slot/<slot>.
  const app = new Hono<PluginEnv>();
  app.get('/_slot/:slot', async (c) => {
    const f = def.fragments?.[c.req.param('slot') as SlotName];
    if (!f) return c.text('no such fragment', 404);
    return c.html(await f.render(c.env.ctx, Object.fromEntries(new URL(c.req.url).searchParams)));
  });
  if (def.routes) app.route('/', def.routes);
  // Errors go to the kernel, which renders them like its own (problem+json or an error page).
  app.onError((err) => {
    throw err;
  });
  // Public routes live in an app of their own: a path under /_public reaches nothing else (and the
  // kernel sends only its public mount there).
  const publicApp = new Hono<PluginEnv>();
  if (def.publicRoutes) publicApp.route('/', def.publicRoutes);
  publicApp.onError((err) => {
    throw err;
  });
  const PUBLIC = '/_public';
  const dispatch = async (req: Request, ctx: PluginContext) => {
    const url = new URL(req.url);
    if (url.pathname !== PUBLIC && !url.pathname.startsWith(`${PUBLIC}/`)) return app.fetch(req, { ctx });
    url.pathname = url.pathname.slice(PUBLIC.length) || '/';
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer();
    return publicApp.fetch(new Request(url, { method: req.method, headers: req.headers, body }), { ctx });
  };

  return {
    shape,
    definition: def,
    fetch: (req, call) => withCtx(call, async (ctx) => dispatch(req, ctx)),
    api: (index, input, call) => {
      const route = def.api?.[index];
      if (!route) throw new HttpError(404, `no API route ${index}`);
      return withCtx(call, (ctx) =>
        route.handler(
          opts.validateApi === false
            ? { params: input.params, query: input.query, body: input.body, ctx }
            : {
                params: parse(route.params, input.params, 'params'),
                query: parse(route.query, input.query, 'query'),
                body: route.body ? parse(route.body, input.body, 'body') : undefined,
                ctx,
              },
        ),
      );
    },
    job: (name, data, call) => {
      const job = def.jobs?.[name];
      if (!job) throw new Error(`no job ${name}`);
      return withCtx(call, (ctx) => job.handler(data, ctx));
    },
    event: (event, call) => {
      const handler = def.events?.[event.name];
      if (!handler) return Promise.resolve();
      return withCtx(call, (ctx) => handler(event, ctx));
    },
    service: (name, method, args, call) => {
      const factory = def.services?.[name];
      if (!factory) throw new Error(`this plugin does not provide service ${name}`);
      return withCtx(call, async (ctx) => {
        const impl = factory(ctx) as Record<string, unknown>;
        // Never Object.prototype's members (constructor, __proto__, toString...): only the service's own methods.
        const fn = method in Object.prototype ? undefined : impl[method];
        if (typeof fn !== 'function') throw new Error(`service ${name} has no method ${method}`);
        return await (fn as (...a: unknown[]) => unknown).apply(impl, args);
      });
    },
    hook: async (name, plugin) => {
      const log = {
        debug: (m: string, f?: object) => host.log('debug', m, f as never),
        info: (m: string, f?: object) => host.log('info', m, f as never),
        warn: (m: string, f?: object) => host.log('warn', m, f as never),
        error: (m: string, f?: object) => host.log('error', m, f as never),
      };
      await def[name]?.({ plugin, log });
    },
    householdDeleted: (call) => withCtx(call, async (ctx) => { await def.onHouseholdDeleted?.(ctx); }),
    stop: async () => {},
  };
}
