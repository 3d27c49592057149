// Builds the PluginContext a handler receives from a CapabilityPort (plain async calls the kernel
// checks). Runs where the plugin runs: in the kernel's process for in-process plugins, in the
// worker for sandboxed ones, so both modes share this code and behave alike.
import type { CallInfo, CapabilityPort, FetchRequest, FetchResponse, PluginContext, PluginLog, SqlQuery, Statement } from './types.ts';
import { createSql, toStatement } from './sql.ts';
import type { ViewRenderer } from './render.ts';

async function toFetchRequest(input: string | URL | Request, init?: RequestInit): Promise<FetchRequest> {
  const req = new Request(input, init);
  const body = req.body ? new Uint8Array(await req.arrayBuffer()) : null;
  return { url: req.url, method: req.method, headers: [...req.headers], body };
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function toResponse(r: FetchResponse): Response {
  const res = new Response(NULL_BODY.has(r.status) ? null : (r.body as Uint8Array<ArrayBuffer>), { status: r.status, statusText: r.statusText, headers: r.headers });
  Object.defineProperty(res, 'url', { value: r.url });
  return res;
}

function portLog(port: CapabilityPort): PluginLog {
  const send = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    port.log(level, msg, fields).catch(() => {});
  };
  return { debug: send('debug'), info: send('info'), warn: send('warn'), error: send('error') };
}

export function createPluginContext(port: CapabilityPort, call: CallInfo, render: ViewRenderer): PluginContext {
  const sql = createSql((stmt) => port.db.query(stmt));
  const info = { plugin: call.plugin, household: call.household, user: call.user, role: call.role, csrf: call.csrf ?? '' };
  return {
    ...call,
    db: {
      sql,
      batch: (stmts: (Statement | SqlQuery)[]) => port.db.batch(stmts.map(toStatement)),
      async tx(fn) {
        const txId = await port.db.begin();
        let result;
        try {
          result = await fn(createSql((stmt) => port.db.query(stmt, txId)));
        } catch (err) {
          await port.db.rollback(txId).catch(() => {});
          throw err;
        }
        await port.db.commit(txId);
        return result;
      },
    },
    fetch: async (input, init) => toResponse(await port.fetch(await toFetchRequest(input, init))),
    secrets: {
      get: (name) => port.secrets.get(name),
      set: (name, value) => port.secrets.set(name, value),
      delete: (name) => port.secrets.delete(name),
    },
    settings: { get: () => port.settings.get() as never },
    instanceSettings: { get: () => port.instanceSettings.get() as never },
    jobs: {
      enqueue: (job, data, opts) => port.jobs.enqueue(job, data ?? null, opts ?? {}),
      progress: (p) => port.jobs.progress(p),
    },
    events: { emit: (name, payload) => port.events.emit(name, payload ?? null) },
    services: {
      get: (name) =>
        new Proxy(Object.create(null), {
          // Every property is an async method call; `then` stays undefined so a proxy is not a thenable.
          get: (_t, method) => (typeof method !== 'string' || method === 'then' ? undefined : (...args: unknown[]) => port.services.call(name, method, args)),
        }),
      has: (name) => port.services.has(name),
    },
    render: (view, data = {}) => render(view, { ...data, ctx: info }),
    url: (path = '/') => call.plugin.base + (path.startsWith('/') ? path : `/${path}`),
    log: portLog(port),
  };
}
