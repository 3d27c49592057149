// A sandboxed plugin, seen from the kernel: a PluginRuntime whose calls travel to the plugin's
// worker in the plugin-host process, and whose capability requests come back here to run against
// the port the kernel built for that very call. When the worker ends (crash, heap, CPU deadline,
// flood...) calls in flight fail with 503, new calls fail fast, and the plugin restarts with
// backoff; the rest of the app never waits on it.
import { deserialize } from 'node:v8';
import type { CallInfo, CapabilityPort, PluginEvent, PluginInfo, PluginRuntime, PluginShape, RuntimeHost } from '../../../plugin-sdk/types.ts';
import type { Logger } from '../../log.ts';
import { dispatchCapability } from './capability-dispatch.ts';
import { boundedShape, plainFields } from './untrusted.ts';
import { PluginResponseRefused, PluginTimeout, PluginUnavailable, fromWireError, toWireError } from './errors.ts';
import { guardWireResponse } from './fragment-guard.ts';
import type { PluginHostProcess } from './host-process.ts';
import { FRAME, type CallKind, type CapPayload, type HostToKernel, type Limits, type LogPayload, type ResultPayload, type WireResponse } from './host/protocol.ts';
import { fromWireResponse, toWireRequest } from './host/wire-http.ts';

type Port = CapabilityPort & { dispose?(): Promise<void> };
type Pending = {
  call: CallInfo;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  port?: Port;
};

export type SandboxedPluginOptions = { roots: string[]; limits: Limits; log: Logger; guardFragments: boolean; reservedIds?: string[]; loadTimeoutMs?: number };

class HostRestarted extends Error {}

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What a page or fragment of a plugin shows in its place when the plugin is down or its answer was refused. */
function errorResponse(id: string, err: PluginUnavailable | PluginTimeout | PluginResponseRefused, what: string): Response {
  const html = `<div class="plugin-error" role="alert" data-plugin="${escapeHtml(id)}"><strong>${escapeHtml(id)}</strong>: ${what}. ${escapeHtml(err.message)}</div>`;
  return new Response(html, { status: err.status, headers: { 'content-type': 'text/html; charset=utf-8', 'x-mff-plugin-error': err.name, 'retry-after': '1' } });
}

export class SandboxedPlugin implements PluginRuntime {
  readonly id: string;
  shape!: PluginShape;
  state: 'starting' | 'ready' | 'down' | 'stopped' = 'starting';
  /** Why the worker last ended, for the inline error and the admin page. */
  lastExit: { reason: string; detail: string; at: Date } | undefined;
  restarts = 0;
  readonly #host: RuntimeHost;
  readonly #proc: PluginHostProcess;
  readonly #opts: SandboxedPluginOptions;
  readonly #log: Logger;
  readonly #calls = new Map<number, Pending>();
  #nextId = 0;
  #failures = 0;
  #readyAt = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #ready: { resolve(shape: PluginShape): void; reject(e: Error): void } | undefined;

  constructor(host: RuntimeHost, proc: PluginHostProcess, opts: SandboxedPluginOptions) {
    this.id = host.manifest.id;
    this.#host = host;
    this.#proc = proc;
    this.#opts = opts;
    this.#log = opts.log.child({ plugin: this.id, mode: 'sandboxed' });
    proc.listen(this.id, {
      onMessage: (m) => this.#onMessage(m),
      onHostExit: (detail, planned) => (planned ? this.#onPlannedRestart() : this.#onExit('crash', `plugin host ${detail}`)),
    });
  }

  /** Loads the plugin in its worker and waits for its shape. Throws if it cannot load. */
  async start(): Promise<void> {
    this.shape = await this.#load();
  }

  /** Loads, starting over when the host is restarted on purpose meanwhile (another plugin widened it). */
  async #load(): Promise<PluginShape> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#loadOnce();
      } catch (err) {
        if (!(err instanceof HostRestarted) || attempt >= 5 || this.state === 'stopped') throw err;
      }
    }
  }

  /** The kernel restarted the host (not the plugin's fault): reload now, no backoff. */
  #onPlannedRestart(): void {
    if (this.state === 'stopped') return;
    if (this.#ready) {
      this.#ready.reject(new HostRestarted());
      this.#ready = undefined;
      return;
    }
    if (this.state !== 'ready') return; // a load in progress goes on after the restart; a down plugin has its timer
    this.state = 'down';
    this.#failAll(new PluginUnavailable(`plugin ${this.id} is reloading`));
    this.#load().catch((err) => {
      this.#log.error('sandboxed plugin failed to reload', { err });
      this.#scheduleRestart();
    });
  }

  async #loadOnce(): Promise<PluginShape> {
    this.state = 'starting';
    await this.#proc.ensure(this.#opts.roots);
    const shape = new Promise<PluginShape>((resolve, reject) => {
      const timer = setTimeout(() => reject(new PluginUnavailable(`plugin ${this.id} did not load within ${this.#opts.loadTimeoutMs ?? 30_000} ms`)), this.#opts.loadTimeoutMs ?? 30_000);
      this.#ready = {
        resolve: (s) => (clearTimeout(timer), resolve(s)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
    });
    this.#proc.send({ t: 'load', p: this.id, entry: this.#host.entry, roots: this.#opts.roots, limits: this.#opts.limits });
    try {
      const s = await shape;
      this.state = 'ready';
      this.#readyAt = Date.now();
      return s;
    } catch (err) {
      if (!(err instanceof HostRestarted)) this.#proc.send({ t: 'unload', p: this.id });
      throw err;
    }
  }

  // ---- Messages from the host. ----

  #onMessage(m: Extract<HostToKernel, { p: string }>): void {
    if (this.state === 'stopped') return;
    if (m.t === 'exit') return m.reason === 'unloaded' ? undefined : this.#onExit(m.reason, m.detail);
    if (m.t === 'out') return this.#log.info('plugin output', { text: m.text.slice(0, 2000) });
    let payload: unknown;
    try {
      payload = m.b ? deserialize(m.b) : null;
      if (!boundedShape(payload)) throw new Error('shape out of bounds');
    } catch (err) {
      this.#proc.send({ t: 'unload', p: this.id });
      return this.#onExit('protocol', `undecodable or unbounded message (${(err as Error).message})`);
    }
    switch (m.k) {
      case FRAME.ready: {
        const r = payload as ResultPayload;
        if (r?.ok) this.#ready?.resolve(r.v as PluginShape);
        else this.#ready?.reject(fromWireError(r?.e));
        this.#ready = undefined;
        return;
      }
      case FRAME.result:
        return this.#finish(m.id, payload as ResultPayload);
      case FRAME.cap:
        return this.#capability(m.id, payload as CapPayload);
      case FRAME.log:
        return this.#pluginLog(m.id, payload as LogPayload);
    }
  }

  #finish(id: number, r: ResultPayload): void {
    const p = this.#calls.get(id);
    if (!p) return; // timed out meanwhile
    this.#calls.delete(id);
    clearTimeout(p.timer);
    void p.port?.dispose?.().catch(() => {});
    if (r && r.ok === true) p.resolve(r.v);
    else p.reject(fromWireError(r && r.ok === false ? r.e : { name: 'Error', message: 'malformed result' }));
  }

  #capability(capId: number, c: CapPayload): void {
    const reply = (ok: boolean, v: unknown): void => { this.#proc.send({ t: 'cap', p: this.id, id: capId, ok, v }); };
    // The call id says which kernel call this request belongs to; only calls in flight to this
    // plugin count, and the port (household, user) is the kernel's for that call.
    const p = c && typeof c === 'object' && Number.isSafeInteger(c.call) ? this.#calls.get(c.call) : undefined;
    if (!p) return reply(false, { name: 'PermissionDenied', message: 'capabilities are only available while the kernel waits on a call' });
    try {
      p.port ??= this.#host.port(p.call);
    } catch (err) {
      return reply(false, toWireError(err));
    }
    dispatchCapability(p.port, c.method, c.args).then(
      (v) => reply(true, v),
      (err) => reply(false, toWireError(err)),
    );
  }

  #pluginLog(callId: number, l: LogPayload): void {
    if (!l || typeof l !== 'object' || !LEVELS.has(l.level)) return;
    const msg = String(l.msg).slice(0, 2000);
    const fields = plainFields(l.fields);
    const p = this.#calls.get(callId);
    try {
      if (p?.call.household) {
        p.port ??= this.#host.port(p.call);
        void p.port.log(l.level, msg, fields).catch(() => {});
      } else {
        this.#host.log(l.level, msg, fields);
      }
    } catch (err) {
      this.#log.warn('plugin log refused', { err });
    }
  }

  #onExit(reason: string, detail: string): void {
    if (this.state === 'stopped') return;
    const wasStarting = this.#ready !== undefined;
    this.state = 'down';
    this.lastExit = { reason, detail, at: new Date() };
    this.#ready?.reject(new PluginUnavailable(`plugin ${this.id} stopped while loading: ${detail}`));
    this.#ready = undefined;
    this.#failAll(new PluginUnavailable(`plugin ${this.id} stopped (${reason}: ${detail}); it restarts shortly`));
    if (wasStarting && !this.shape) return; // the first load failed: start() reports it
    this.#log.error('sandboxed plugin stopped; restarting', { reason, detail });
    this.#scheduleRestart();
  }

  #scheduleRestart(): void {
    if (this.#restartTimer || this.state === 'stopped') return;
    if (Date.now() - this.#readyAt > 60_000) this.#failures = 0;
    const delay = Math.min(30_000, 100 * 2 ** this.#failures++);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.state === 'stopped') return;
      this.restarts++;
      this.#load().catch((err) => {
        this.#log.error('sandboxed plugin failed to restart', { err });
        if (this.state !== 'stopped') {
          this.state = 'down';
          this.#scheduleRestart();
        }
      });
    }, delay);
    this.#restartTimer.unref();
  }

  #failAll(err: Error): void {
    for (const [id, p] of this.#calls) {
      this.#calls.delete(id);
      clearTimeout(p.timer);
      void p.port?.dispose?.().catch(() => {});
      p.reject(err);
    }
  }

  // ---- Calls to the plugin. ----

  #call(kind: CallKind, call: CallInfo, args: unknown): Promise<unknown> {
    if (this.state !== 'ready') {
      const why = this.lastExit ? ` (${this.lastExit.reason}: ${this.lastExit.detail})` : '';
      return Promise.reject(new PluginUnavailable(`plugin ${this.id} is ${this.state === 'stopped' ? 'stopped' : 'restarting'}${why}`));
    }
    if (this.#calls.size >= this.#opts.limits.maxPendingCalls) {
      return Promise.reject(new PluginUnavailable(`plugin ${this.id} is busy (${this.#calls.size} calls waiting)`));
    }
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = this.#calls.get(id);
        if (!p) return;
        this.#calls.delete(id);
        void p.port?.dispose?.().catch(() => {});
        reject(new PluginTimeout(`plugin ${this.id} did not answer within ${this.#opts.limits.callTimeoutMs} ms`));
      }, this.#opts.limits.callTimeoutMs);
      this.#calls.set(id, { call, resolve, reject, timer });
      this.#proc.send({ t: 'call', p: this.id, id, kind, call, args });
    });
  }

  async fetch(req: Request, call: CallInfo): Promise<Response> {
    const wire = await toWireRequest(req, this.#opts.limits.maxMessageBytes);
    let answer: unknown;
    try {
      answer = await this.#call('fetch', call, wire);
    } catch (err) {
      if (err instanceof PluginUnavailable || err instanceof PluginTimeout) return errorResponse(this.id, err, 'it is unavailable right now');
      if ((err as Error).name === 'PayloadTooLarge') return errorResponse(this.id, new PluginResponseRefused((err as Error).message), 'its answer was refused');
      throw err;
    }
    try {
      return fromWireResponse(this.#opts.guardFragments ? guardWireResponse(answer as WireResponse, this.id, this.#opts.reservedIds) : answer);
    } catch (err) {
      this.#log.warn('plugin response refused', { err: (err as Error).message, path: new URL(req.url).pathname });
      const refused = err instanceof PluginResponseRefused ? err : new PluginResponseRefused(`plugin ${this.id} returned a malformed response: ${(err as Error).message}`);
      return errorResponse(this.id, refused, 'its answer was refused');
    }
  }

  api(index: number, input: { params: unknown; query: unknown; body: unknown }, call: CallInfo): Promise<unknown> {
    return this.#call('api', call, { index, input });
  }

  async job(name: string, data: unknown, call: CallInfo): Promise<void> {
    await this.#call('job', call, { name, data });
  }

  async event(event: PluginEvent, call: CallInfo): Promise<void> {
    await this.#call('event', call, { event });
  }

  service(name: string, method: string, args: unknown[], call: CallInfo): Promise<unknown> {
    return this.#call('service', call, { name, method, args });
  }

  async hook(name: 'onEnable' | 'onDisable', plugin: PluginInfo): Promise<void> {
    await this.#call('hook', {} as CallInfo, { name, plugin });
  }

  async householdDeleted(call: CallInfo): Promise<void> {
    await this.#call('householdDeleted', call, null);
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearTimeout(this.#restartTimer);
    this.#failAll(new PluginUnavailable(`plugin ${this.id} was stopped`));
    this.#proc.send({ t: 'unload', p: this.id });
    this.#proc.unlisten(this.id);
  }
}
