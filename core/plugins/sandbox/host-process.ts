// The kernel's handle on the plugin-host process: spawns it confined (launch.ts), checks that it
// really is confined before loading any plugin, routes its messages to each plugin's runtime,
// watches it with pings and kills it if it stops answering. When it dies every plugin's runtime
// hears of it and restarts itself (with backoff), which starts a new host.
import { spawn, type ChildProcess } from 'node:child_process';
import { sep } from 'node:path';
import type { Logger } from '../../log.ts';
import { hostLaunch } from './launch.ts';
import type { Confinement, HostToKernel, KernelToHost } from './host/protocol.ts';

export type HostListener = {
  /** A message for this plugin (frames, exits, output). */
  onMessage(m: Extract<HostToKernel, { p: string }>): void;
  /** The host process ended: every worker in it is gone. `planned` when the kernel restarted it on purpose. */
  onHostExit(detail: string, planned: boolean): void;
};

export type HostStats = {
  pid: number | undefined;
  rss: number;
  workers: Record<string, { heap: number; external: number }>;
  /** What the host reported about its own confinement when it started. */
  confinement?: Confinement;
};

const PING_MS = 1_000;
const PING_TIMEOUT_MS = 10_000;

/** Whether `dir` is one of `dirs` or inside one of them. */
const covered = (dir: string, dirs: Set<string>) => [...dirs].some((d) => dir === d || dir.startsWith(d.endsWith(sep) ? d : d + sep));

export class ConfinementError extends Error {
  override name = 'ConfinementError';
}

export function checkConfinement(c: Confinement): void {
  const problems = [
    !c.permission && 'the permission model is off',
    c.net && 'network access is allowed',
    c.childProcess && 'child processes are allowed',
    c.addons && 'native addons are allowed',
    c.fsWrite && 'file writes are allowed',
    c.envKeys > 0 && `the environment has ${c.envKeys} variables`,
  ].filter(Boolean);
  if (problems.length) throw new ConfinementError(`refusing to run sandboxed plugins: plugin host is not confined (${problems.join(', ')})`);
}

export class PluginHostProcess {
  readonly #log: Logger;
  readonly #listeners = new Map<string, HostListener>();
  readonly #readable = new Set<string>();
  #heapMb: number;
  #child: ChildProcess | undefined;
  #ready: Promise<void> | undefined;
  #chain: Promise<void> = Promise.resolve();
  #spawnedWith = new Set<string>();
  #stopped = false;
  #pingTimer: NodeJS.Timeout | undefined;
  #pingId = 0;
  #lastPong = 0;
  #stats: HostStats = { pid: undefined, rss: 0, workers: {} };
  #confinement: Confinement | undefined;
  #statsWaiters: ((s: HostStats) => void)[] = [];

  constructor(opts: { log: Logger; readable: string[]; hostHeapMb?: number }) {
    this.#log = opts.log.child({ component: 'plugin-host' });
    for (const dir of opts.readable) this.#readable.add(dir);
    this.#heapMb = opts.hostHeapMb ?? 64;
  }

  listen(pluginId: string, l: HostListener): void {
    this.#listeners.set(pluginId, l);
  }

  unlisten(pluginId: string): void {
    this.#listeners.delete(pluginId);
  }

  /**
   * Makes sure the host runs with read access to `dirs`, restarting it if it lacks any (its plugins
   * reload). Calls in the same tick share one start; calls are serialized.
   */
  ensure(dirs: string[]): Promise<void> {
    if (this.#stopped) return Promise.reject(new Error('plugin host stopped'));
    for (const d of dirs) this.#readable.add(d);
    const step = this.#chain.then(async () => {
      const missing = [...this.#readable].filter((d) => !covered(d, this.#spawnedWith));
      if (this.#child && missing.length) {
        this.#log.info('restarting plugin host to widen its read access', { dirs: missing });
        await this.#kill('restarted to widen its read access', true);
      }
      if (this.#stopped) throw new Error('plugin host stopped');
      this.#ready ??= this.#spawn();
      await this.#ready;
    });
    this.#chain = step.catch(() => {});
    return step;
  }

  send(m: KernelToHost): boolean {
    const child = this.#child;
    if (!child?.connected) return false;
    child.send(m);
    return true;
  }

  /** Resident memory of the host process and heap of each worker, fresh from the host. */
  async stats(): Promise<HostStats> {
    if (!this.#child?.connected) return this.#stats;
    return new Promise((resolve) => {
      this.#statsWaiters.push(resolve);
      this.send({ t: 'ping', id: ++this.#pingId });
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#kill('stopped by the kernel', false);
  }

  #spawn(): Promise<void> {
    this.#spawnedWith = new Set(this.#readable);
    const launch = hostLaunch({ readable: [...this.#readable], hostHeapMb: this.#heapMb });
    const child = spawn(launch.execPath, launch.args, {
      env: launch.env,
      cwd: launch.cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.#child = child;
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => this.#log.warn('plugin host output', { text: text.slice(0, 4000) }));
    }
    return new Promise<void>((resolve, reject) => {
      let hello = false;
      child.on('message', (m: HostToKernel) => {
        if (m.t === 'hello') {
          try {
            checkConfinement(m.confinement);
          } catch (err) {
            reject(err);
            this.#stopped = true;
            child.kill('SIGKILL');
            return;
          }
          hello = true;
          this.#confinement = m.confinement;
          this.#lastPong = Date.now();
          this.#startPings(child);
          resolve();
          return;
        }
        if (m.t === 'pong') {
          this.#lastPong = Date.now();
          this.#stats = { pid: child.pid, rss: m.rss, workers: m.workers, confinement: this.#confinement };
          for (const w of this.#statsWaiters.splice(0)) w(this.#stats);
          return;
        }
        this.#listeners.get(m.p)?.onMessage(m);
      });
      child.on('error', (err) => {
        if (!hello) reject(err);
        this.#log.error('plugin host error', { err });
      });
      child.on('exit', (code, signal) => {
        if (this.#child === child) this.#onExit(`exited (code ${code}, signal ${signal})`);
        if (!hello) reject(new Error(`plugin host exited before starting (code ${code}, signal ${signal})`));
      });
    });
  }

  #startPings(child: ChildProcess): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = setInterval(() => {
      if (Date.now() - this.#lastPong > PING_TIMEOUT_MS) {
        this.#log.error('plugin host unresponsive; killing it', { pid: child.pid });
        child.kill('SIGKILL');
        return;
      }
      this.send({ t: 'ping', id: ++this.#pingId });
    }, PING_MS);
    this.#pingTimer.unref();
  }

  #onExit(detail: string): void {
    clearInterval(this.#pingTimer);
    this.#child = undefined;
    this.#ready = undefined;
    for (const w of this.#statsWaiters.splice(0)) w(this.#stats);
    if (!this.#stopped) this.#log.error('plugin host died', { detail });
    for (const l of this.#listeners.values()) l.onHostExit(detail, false);
  }

  async #kill(detail: string, planned: boolean): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    this.#ready = undefined;
    clearInterval(this.#pingTimer);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
    for (const l of this.#listeners.values()) l.onHostExit(detail, planned);
  }
}
