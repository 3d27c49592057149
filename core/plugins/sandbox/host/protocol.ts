// The wire between the kernel, the plugin-host process and each plugin's worker. Kept free of
// imports: the host process (run under --permission) loads it too.
//
//   kernel ──IPC (advanced serialization)──▶ host main thread ──MessagePort──▶ plugin worker
//
// Kernel → host messages are trusted objects. Worker → host messages are untrusted: each is a
// frame `[kind, id, bytes]` whose bytes (v8-serialized by the worker) the host never parses; it
// only checks their type and size, counts them, and relays them to the kernel, which decodes and
// validates them. So a plugin can't make the host do more than O(1) work per message.

/** Limits of one sandboxed plugin. All enforced outside the plugin's worker. */
export type Limits = {
  /** V8 old-generation heap of the worker (resourceLimits.maxOldGenerationSizeMb). */
  heapMb: number;
  /** ArrayBuffers and other memory outside the V8 heap, polled by the host. */
  externalMb: number;
  /** Longest the worker may run without returning to its event loop (a CPU spin), in ms. */
  cpuMs: number;
  /** Wall-clock deadline of one call (request, job, event...), enforced by the kernel. */
  callTimeoutMs: number;
  /** Largest frame (response, capability call, log line) the worker may send. */
  maxMessageBytes: number;
  /** Capability calls (ctx.db, ctx.fetch...) a worker may have in flight at once. */
  maxPendingCaps: number;
  /** Calls the kernel lets wait on one plugin at once; more are refused with 503. */
  maxPendingCalls: number;
  /** Frames per second above which the worker is flooding and is stopped. */
  maxFramesPerSecond: number;
  /** Log lines per second kept; the rest are dropped (and counted). */
  maxLogsPerSecond: number;
};

export const DEFAULT_LIMITS: Limits = {
  heapMb: 64,
  externalMb: 128,
  cpuMs: 2_000,
  callTimeoutMs: 30_000,
  maxMessageBytes: 8 * 1024 * 1024,
  maxPendingCaps: 256,
  maxPendingCalls: 512,
  maxFramesPerSecond: 50_000,
  maxLogsPerSecond: 200,
};

/** Kinds of worker → host frames. */
export const FRAME = { ready: 1, result: 2, cap: 3, log: 4, pong: 5 } as const;
export type FrameKind = (typeof FRAME)[keyof typeof FRAME];
export type Frame = [kind: FrameKind, id: number, bytes: Uint8Array | null];

/** What a kernel call asks the plugin to do (mirrors PluginRuntime in plugin-sdk/types.ts). */
export type CallKind = 'fetch' | 'api' | 'job' | 'event' | 'service' | 'hook' | 'householdDeleted';

/** A Web Request or Response as plain data. Bodies are buffered (and size-limited) by the sender,
 *  and never on a SharedArrayBuffer (fetch's BodyInit refuses those), hence <ArrayBuffer>. */
export type WireRequest = { method: string; url: string; headers: [string, string][]; body: Uint8Array<ArrayBuffer> | null };
export type WireResponse = { status: number; statusText: string; headers: [string, string][]; body: string | Uint8Array<ArrayBuffer> | null };

/** An error as plain data: its name survives (PermissionDenied stays PermissionDenied). */
export type WireError = { name: string; message: string; status?: number };

export type KernelToHost =
  | { t: 'load'; p: string; entry: string; roots: string[]; limits: Limits }
  | { t: 'unload'; p: string }
  | { t: 'call'; p: string; id: number; kind: CallKind; call: unknown; args: unknown }
  | { t: 'cap'; p: string; id: number; ok: boolean; v: unknown }
  | { t: 'ping'; id: number };

export type ExitReason = 'crash' | 'heap' | 'external-memory' | 'cpu' | 'flood' | 'oversize' | 'protocol' | 'load' | 'unloaded';

/** What the host reports about its own confinement when it starts; the kernel refuses a host that is not confined. */
export type Confinement = { permission: boolean; net: boolean; childProcess: boolean; addons: boolean; fsWrite: boolean; worker: boolean; envKeys: number };

export type HostToKernel =
  | { t: 'hello'; confinement: Confinement }
  | { t: 'f'; p: string; k: FrameKind; id: number; b: Uint8Array | null }
  | { t: 'exit'; p: string; reason: ExitReason; detail: string }
  | { t: 'out'; p: string; text: string }
  | { t: 'pong'; id: number; rss: number; workers: Record<string, { heap: number; external: number }> };

/** Kernel → worker messages (relayed unchanged by the host, minus `p`). */
export type KernelToWorker =
  | { t: 'call'; id: number; kind: CallKind; call: unknown; args: unknown }
  | { t: 'cap'; id: number; ok: boolean; v: unknown }
  | { t: 'ping'; id: number };

/** Worker → kernel payloads (inside frames). */
export type ResultPayload = { ok: true; v: unknown } | { ok: false; e: WireError };
export type CapPayload = { call: number; method: string; args: unknown[] };
export type LogPayload = { level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> };
