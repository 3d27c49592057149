// One plugin's worker thread, seen from the plugin-host process: starts it with heap limits, relays
// frames to the kernel after O(1) checks, and stops it when it misbehaves: a CPU spin (no sign of
// life for cpuMs), memory outside the heap, an oversized or malformed frame, or a message flood.
// The kernel decides about restarts; this only reports why the worker ended.
import { Worker } from 'node:worker_threads';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strippedSources } from './strip-cache.ts';
import { FRAME, type ExitReason, type HostToKernel, type KernelToWorker, type Limits } from './protocol.ts';

const HOST_DIR = dirname(fileURLToPath(import.meta.url));
// A small young generation: plugin requests allocate little and short-lived; it saves ~10 MB per worker.
const YOUNG_GENERATION_MB = 4;
const TICK_MS = 100;
const STATS_EVERY_TICKS = 5;
const MAX_OUTPUT_CHARS = 4096;

export type WorkerStats = { heap: number; external: number };

export class PluginWorker {
  readonly id: string;
  readonly limits: Limits;
  stats: WorkerStats = { heap: 0, external: 0 };
  #worker: Worker;
  #send: (m: HostToKernel) => void;
  #ended = false;
  #calls = new Set<number>();
  #pendingCaps = 0;
  #lastSign = performance.now();
  #pingSent = 0;
  /** Loading (until the worker reports ready) compiles the plugin and its packages in one go: a large
   *  package (an official API client) can block for seconds. It gets the load budget, not cpuMs. */
  #loadedAt = 0;
  readonly #startedAt = performance.now();
  #pingId = 0;
  #windowStart = performance.now();
  #framesInWindow = 0;
  #logsInWindow = 0;
  #droppedLogs = 0;
  #ticks = 0;
  #timer: NodeJS.Timeout;

  constructor(id: string, init: { entry: string; roots: string[]; limits: Limits }, send: (m: HostToKernel) => void) {
    this.id = id;
    this.limits = init.limits;
    this.#send = send;
    // The plugin's own files, the SDK (roots[1]) and this directory: the TypeScript a worker runs.
    const sources = strippedSources([init.roots[0], init.roots[1], HOST_DIR]);
    this.#worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      name: `plugin:${id}`,
      workerData: { id, entry: init.entry, roots: init.roots, maxMessageBytes: init.limits.maxMessageBytes, sources },
      env: {},
      argv: [],
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: init.limits.heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, stackSizeMb: 4 },
    });
    this.#worker.on('message', (m) => this.#onFrame(m));
    this.#worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') this.#end('heap', `heap limit of ${this.limits.heapMb} MB reached`);
      else this.#end('crash', `${err.name}: ${err.message}`.slice(0, 1000));
    });
    this.#worker.on('exit', (code) => this.#end('crash', `worker exited with code ${code}`));
    for (const stream of [this.#worker.stdout, this.#worker.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => this.#output(text));
    }
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
  }

  /** Kernel → worker: a call, a capability result, or a ping. */
  post(m: KernelToWorker): void {
    if (this.#ended) return;
    if (m.t === 'call') this.#calls.add(m.id);
    else if (m.t === 'cap') this.#pendingCaps = Math.max(0, this.#pendingCaps - 1);
    this.#worker.postMessage(m);
  }

  stop(): void {
    this.#end('unloaded', 'unloaded by the kernel');
  }

  #onFrame(m: unknown): void {
    if (this.#ended) return;
    this.#lastSign = performance.now();
    this.#pingSent = 0;
    if (++this.#framesInWindow > this.limits.maxFramesPerSecond) return this.#end('flood', `more than ${this.limits.maxFramesPerSecond} messages in a second`);
    if (!Array.isArray(m) || m.length !== 3 || !Number.isSafeInteger(m[1])) return this.#end('protocol', 'malformed message');
    const [kind, id, bytes] = m as [unknown, number, unknown];
    if (bytes !== null && !(bytes instanceof Uint8Array)) return this.#end('protocol', 'malformed message body');
    if (bytes && bytes.byteLength > this.limits.maxMessageBytes) {
      return this.#end('oversize', `a ${bytes.byteLength}-byte message exceeds the ${this.limits.maxMessageBytes}-byte limit`);
    }
    switch (kind) {
      case FRAME.pong:
        return;
      case FRAME.result:
        if (!this.#calls.delete(id)) return this.#end('protocol', `result for unknown call ${id}`);
        break;
      case FRAME.cap:
        if (++this.#pendingCaps > this.limits.maxPendingCaps) {
          return this.#end('flood', `more than ${this.limits.maxPendingCaps} capability calls in flight`);
        }
        break;
      case FRAME.log:
        if (++this.#logsInWindow > this.limits.maxLogsPerSecond) {
          this.#droppedLogs++;
          return;
        }
        break;
      case FRAME.ready:
        this.#loadedAt = performance.now();
        break;
      default:
        return this.#end('protocol', `unknown message kind ${String(kind)}`);
    }
    this.#send({ t: 'f', p: this.id, k: kind, id, b: bytes });
  }

  #output(text: string): void {
    if (this.#ended) return;
    if (++this.#logsInWindow > this.limits.maxLogsPerSecond) {
      this.#droppedLogs++;
      return;
    }
    this.#send({ t: 'out', p: this.id, text: text.slice(0, MAX_OUTPUT_CHARS) });
  }

  #tick(): void {
    const now = performance.now();
    if (now - this.#windowStart >= 1000) {
      if (this.#droppedLogs) this.#send({ t: 'out', p: this.id, text: `[mff] dropped ${this.#droppedLogs} log lines over the limit of ${this.limits.maxLogsPerSecond}/s\n` });
      this.#windowStart = now;
      this.#framesInWindow = 0;
      this.#logsInWindow = 0;
      this.#droppedLogs = 0;
    }
    // A worker that is busy answering is alive; one that answers nothing, not even a ping, for
    // cpuMs is stuck in a loop and is stopped.
    if (!this.#loadedAt) {
      if (now - this.#startedAt > this.limits.callTimeoutMs) return this.#end('cpu', `did not finish loading within ${this.limits.callTimeoutMs} ms`);
    } else if (this.#pingSent && now - this.#pingSent > this.limits.cpuMs && this.#lastSign < this.#pingSent) {
      return this.#end('cpu', `no response for ${this.limits.cpuMs} ms (CPU deadline)`);
    }
    if (!this.#pingSent && now - this.#lastSign > Math.min(this.limits.cpuMs / 2, 500)) {
      this.#pingSent = now;
      this.#worker.postMessage({ t: 'ping', id: ++this.#pingId });
    }
    if (++this.#ticks % STATS_EVERY_TICKS === 0) this.#pollMemory();
  }

  #pollMemory(): void {
    this.#worker.getHeapStatistics().then(
      (s) => {
        this.stats = { heap: s.used_heap_size, external: s.external_memory };
        if (s.external_memory > this.limits.externalMb * 1024 * 1024) {
          this.#end('external-memory', `${Math.round(s.external_memory / 1048576)} MB outside the heap exceeds the ${this.limits.externalMb} MB limit`);
        }
      },
      () => {},
    );
  }

  #end(reason: ExitReason, detail: string): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#timer);
    void this.#worker.terminate();
    this.#send({ t: 'exit', p: this.id, reason, detail });
  }
}
