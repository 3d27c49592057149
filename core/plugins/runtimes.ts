// Starts a plugin in the mode mff.config.ts gives it. In-process: the entry module is imported into
// the kernel's process and run by the SDK's local runtime. Sandboxed: core/plugins/sandbox/index.ts
// (the sandbox's own module) exports createSandbox({ rootDir, log }) whose start(host) gives the
// plugin's runtime; one sandbox (one plugin-host process) serves every sandboxed plugin of a kernel.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Kernel } from '../kernel.ts';
import { createLocalRuntime } from '../../plugin-sdk/runtime.ts';
import type { Mode, PluginDefinition, PluginRuntime, RuntimeHost } from '../../plugin-sdk/types.ts';
import { cacheViews } from '../http/render.ts';
import { PluginLoadError } from './errors.ts';

/** mff.config.ts's limits of one sandboxed plugin, as core/config.ts validated them. */
export type PluginLimits = { cpuMs?: number; heapMb?: number; messageBytes?: number };
type SandboxLimits = { cpuMs?: number; heapMb?: number; maxMessageBytes?: number };
type Sandbox = { start(host: RuntimeHost, opts?: { limits?: SandboxLimits; reservedIds?: string[] }): Promise<PluginRuntime>; stop(): Promise<void> };
export type SandboxModule = {
  createSandbox(opts: { rootDir: string; log: Kernel['log'] }): Sandbox;
};

const sandboxes = new WeakMap<Kernel, Sandbox>();

/** Stops the kernel's plugin-host process, if it started one. */
export async function stopSandbox(k: Kernel): Promise<void> {
  const sb = sandboxes.get(k);
  sandboxes.delete(k);
  await sb?.stop();
}

let sandbox: Promise<SandboxModule | null> | undefined;

/** The sandbox module, or null when this build has none. */
export function loadSandbox(): Promise<SandboxModule | null> {
  const url = new URL('./sandbox/index.ts', import.meta.url);
  sandbox ??= import(url.href).then(
    (m) => m as SandboxModule,
    (err) => {
      if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(url.pathname)) return null;
      throw err;
    },
  );
  return sandbox;
}

function isDefinition(v: unknown): v is PluginDefinition {
  return typeof v === 'object' && v !== null;
}

/** Only the limits the config sets; the sandbox's defaults fill the rest. */
function sandboxLimits(l: PluginLimits = {}): SandboxLimits {
  const out: SandboxLimits = {};
  if (l.cpuMs !== undefined) out.cpuMs = l.cpuMs;
  if (l.heapMb !== undefined) out.heapMb = l.heapMb;
  if (l.messageBytes !== undefined) out.maxMessageBytes = l.messageBytes;
  return out;
}

/** `reservedIds`: other plugins' ids extending this one's (naming.ts extendingIds), whose element ids it may not name. */
export async function startRuntime(mode: Mode, host: RuntimeHost, k: Kernel, limits?: PluginLimits, reservedIds: string[] = []): Promise<PluginRuntime> {
  const id = host.manifest.id;
  if (mode === 'sandboxed') {
    const sb = await loadSandbox();
    if (typeof sb?.createSandbox !== 'function') throw new PluginLoadError(id, `plugin ${id}: sandboxed mode is not available in this build`);
    let sandbox = sandboxes.get(k);
    if (!sandbox) sandboxes.set(k, (sandbox = sb.createSandbox({ rootDir: k.config.rootDir, log: k.log })));
    return sandbox.start(host, { limits: sandboxLimits(limits), reservedIds });
  }
  const mod = await import(pathToFileURL(host.entry).href);
  if (!isDefinition(mod.default)) throw new PluginLoadError(id, `plugin ${id}: ${host.entry} must export default definePlugin({...})`);
  return createLocalRuntime(mod.default, host, {
    viewsDir: join(host.dir, 'views'),
    cacheViews: cacheViews(),
    validateApi: false, // the kernel's ApiRegistry validates with the same zod schemas first
  });
}
