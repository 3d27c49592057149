// A sandboxed plugin's worker thread. Before the plugin's code loads it takes away what the plugin
// must not have (harden.ts) and installs the import policy (import-policy.ts); then it runs the
// plugin with the SDK's own runtime (plugin-sdk/runtime.ts, exactly as in-process) over a
// CapabilityPort whose every method is an RPC to the kernel, which checks it.
//
// Nothing here is trusted by the kernel: plugin code shares this realm and could tamper with it.
// The host checks every message's size and rate, the kernel validates every message's content.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { createLocalRuntime } from '../../../../plugin-sdk/runtime.ts';
import type { CallInfo, CapabilityPort, PluginDefinition, PluginRuntime, RuntimeHost } from '../../../../plugin-sdk/types.ts';
import { harden } from './harden.ts';
import { installImportPolicy } from './import-policy.ts';
import { FRAME, type CapPayload, type FrameKind, type KernelToWorker, type LogPayload, type WireError } from './protocol.ts';
import { fromWireRequest, toWireResponse } from './wire-http.ts';

type Init = { id: string; entry: string; roots: string[]; maxMessageBytes: number };
const init = workerData as Init;
const port = parentPort!;
const post = port.postMessage.bind(port);
const TRANSFER_FROM_BYTES = 64 * 1024;

function send(kind: FrameKind, id: number, payload: unknown): void {
  let bytes: Uint8Array;
  try {
    bytes = serialize(payload);
  } catch (err) {
    bytes = serialize({ ok: false, e: { name: 'DataCloneError', message: `result could not be sent to the kernel: ${(err as Error).message}` } });
  }
  if (bytes.byteLength > init.maxMessageBytes && kind === FRAME.result) {
    bytes = serialize({ ok: false, e: { name: 'PayloadTooLarge', message: `response of ${bytes.byteLength} bytes exceeds the ${init.maxMessageBytes}-byte limit`, status: 502 } });
  }
  // Large bytes are handed over without a copy when they own their whole buffer; small ones are
  // copied, which is cheaper than detaching a buffer (a 2 KB fragment: ~5 µs less per call).
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  post([kind, id, bytes], own && bytes.byteLength > TRANSFER_FROM_BYTES ? [bytes.buffer as ArrayBuffer] : []);
}

const toWireError = (err: unknown): WireError => {
  const e = err as { name?: unknown; message?: unknown; status?: unknown };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    ...(typeof e?.status === 'number' ? { status: e.status } : {}),
  };
};

function fromWireError(w: WireError): Error {
  const err = new Error(w.message) as Error & { status?: number };
  err.name = w.name;
  if (w.status !== undefined) err.status = w.status;
  return err;
}

// ---- Capability RPCs: every port method becomes a frame to the kernel, tagged with its call. ----
let nextCap = 0;
const pendingCaps = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
const callIds = new WeakMap<CallInfo, number>();

function rpc(callId: number, method: string, args: unknown[]): Promise<never> {
  const id = ++nextCap;
  return new Promise((resolve, reject) => {
    pendingCaps.set(id, { resolve: resolve as (v: unknown) => void, reject });
    send(FRAME.cap, id, { call: callId, method, args } satisfies CapPayload);
  });
}

function rpcPort(callId: number): CapabilityPort {
  const m = (method: string) => (...args: unknown[]) => rpc(callId, method, args);
  return {
    db: { query: m('db.query'), batch: m('db.batch'), begin: m('db.begin'), commit: m('db.commit'), rollback: m('db.rollback') },
    fetch: m('fetch'),
    secrets: { get: m('secrets.get'), set: m('secrets.set'), delete: m('secrets.delete') },
    settings: { get: m('settings.get') },
    instanceSettings: { get: m('instanceSettings.get') },
    jobs: { enqueue: m('jobs.enqueue'), progress: m('jobs.progress') },
    events: { emit: m('events.emit') },
    services: { call: m('services.call'), has: m('services.has') },
    log: async (level, msg, fields) => send(FRAME.log, callId, { level, msg: String(msg), fields } satisfies LogPayload),
  };
}

const host: RuntimeHost = {
  manifest: { id: init.id } as RuntimeHost['manifest'],
  dir: init.roots[0],
  entry: init.entry,
  port(call) {
    const id = callIds.get(call);
    if (id === undefined) throw new Error('capabilities are only available during a call from the kernel');
    return rpcPort(id);
  },
  log: (level, msg, fields) => send(FRAME.log, 0, { level, msg: String(msg), fields } satisfies LogPayload),
};

// ---- Calls from the kernel. ----
async function dispatch(runtime: PluginRuntime, kind: string, call: CallInfo, args: any): Promise<unknown> {
  switch (kind) {
    case 'fetch':
      return toWireResponse(await runtime.fetch(fromWireRequest(args), call), init.maxMessageBytes);
    case 'api':
      return runtime.api(args.index, args.input, call);
    case 'job':
      return runtime.job(args.name, args.data, call);
    case 'event':
      return runtime.event(args.event, call);
    case 'service':
      return runtime.service(args.name, args.method, args.args, call);
    case 'hook':
      return runtime.hook(args.name, args.plugin);
    case 'householdDeleted':
      return runtime.householdDeleted(call);
    default:
      throw new Error(`unknown call kind ${kind}`);
  }
}

let runtime: PluginRuntime | undefined;

port.on('message', (m: KernelToWorker) => {
  // Pings are answered even while the plugin loads: a slow top-level await is not a spin.
  if (m.t === 'ping') return post([FRAME.pong, m.id, null]);
  if (m.t === 'cap') {
    const p = pendingCaps.get(m.id);
    if (!p) return;
    pendingCaps.delete(m.id);
    return m.ok ? p.resolve(m.v) : p.reject(fromWireError(m.v as WireError));
  }
  const call = (m.call ?? {}) as CallInfo;
  callIds.set(call, m.id);
  (runtime ? dispatch(runtime, m.kind, call, m.args) : Promise.reject(new Error('plugin is not loaded'))).then(
    (v) => send(FRAME.result, m.id, { ok: true, v }),
    (err) => send(FRAME.result, m.id, { ok: false, e: toWireError(err) }),
  );
});

// ---- Start: confine, load the plugin, report its shape. ----
try {
  harden();
  installImportPolicy({ plugin: init.roots[0], packages: init.roots.slice(1) });
  const mod = await import(pathToFileURL(init.entry).href);
  const def = mod.default as PluginDefinition;
  if (!def || typeof def !== 'object') throw new Error(`${init.entry} must export default definePlugin({...})`);
  runtime = createLocalRuntime(def, host, { viewsDir: join(init.roots[0], 'views'), cacheViews: true });
  send(FRAME.ready, 0, { ok: true, v: runtime.shape });
} catch (err) {
  send(FRAME.ready, 0, { ok: false, e: toWireError(err) });
}
