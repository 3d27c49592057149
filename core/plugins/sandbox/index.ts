// The sandbox, as the plugin loader uses it: one confined plugin-host process for the instance,
// one worker per sandboxed plugin, and a PluginRuntime per plugin that the kernel mounts exactly
// like an in-process one.
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginRuntime, RuntimeHost } from '../../../plugin-sdk/types.ts';
import type { Logger } from '../../log.ts';
import { PluginHostProcess, type HostStats } from './host-process.ts';
import { DEFAULT_LIMITS, type Limits } from './host/protocol.ts';
import { DEFAULT_PACKAGES, importRoots } from './launch.ts';
import { declaredPackageRoots } from './package-roots.ts';
import { SandboxedPlugin } from './sandboxed-plugin.ts';

export type SandboxOptions = {
  rootDir: string;
  log: Logger;
  /** Defaults for every sandboxed plugin. */
  limits?: Partial<Limits>;
  /** Packages sandboxed plugins may import besides the SDK (default hono, zod, eta). */
  packages?: string[];
  /** Check sandboxed plugins' HTML and headers (fragment-guard.ts). Default true. */
  guardFragments?: boolean;
  /** Heap of the host process's main thread (it only relays). */
  hostHeapMb?: number;
};

export type Sandbox = {
  /** Loads a plugin in its own worker; resolves once it is ready, throws if it cannot load. */
  /** `reservedIds`: other plugins' ids that extend this one's with a hyphen (their element ids are not its own). */
  start(host: RuntimeHost, opts?: { limits?: Partial<Limits>; reservedIds?: string[] }): Promise<SandboxedPlugin>;
  stats(): Promise<HostStats>;
  stop(): Promise<void>;
};

export function createSandbox(opts: SandboxOptions): Sandbox {
  const packages = opts.packages ?? DEFAULT_PACKAGES;
  // The host always needs the SDK and the packages (its worker bootstrap imports the SDK runtime).
  const base = importRoots(opts.rootDir, opts.rootDir, packages).slice(1);
  // The instance's plugin directories hold only plugin code: readable from the start, so starting
  // plugins one after another does not restart the host for each (imports stay per plugin).
  for (const dir of ['plugins', 'examples']) if (existsSync(join(opts.rootDir, dir))) base.push(realpathSync(join(opts.rootDir, dir)));
  const proc = new PluginHostProcess({ log: opts.log, readable: base, hostHeapMb: opts.hostHeapMb });
  const plugins = new Set<SandboxedPlugin>();
  return {
    async start(host, o = {}) {
      const plugin = new SandboxedPlugin(host, proc, {
        // The manifest's own packages (e.g. an official API client) join the instance's defaults.
        roots: [...new Set([...importRoots(opts.rootDir, host.dir, packages), ...declaredPackageRoots(opts.rootDir, host.manifest.packages)])],
        limits: { ...DEFAULT_LIMITS, ...opts.limits, ...o.limits },
        log: opts.log,
        guardFragments: opts.guardFragments ?? true,
        reservedIds: o.reservedIds ?? [],
      });
      try {
        await plugin.start();
      } catch (err) {
        await plugin.stop();
        throw err;
      }
      plugins.add(plugin);
      return plugin;
    },
    stats: () => proc.stats(),
    async stop() {
      await Promise.all([...plugins].map((p) => p.stop()));
      await proc.stop();
    },
  };
}

export type { SandboxedPlugin, PluginRuntime, Limits };
