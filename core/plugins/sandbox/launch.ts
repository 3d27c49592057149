// How the kernel starts the plugin-host process: Node's permission model with read access to the
// host's own code, the sandboxed plugins' directories and the packages they may import, and
// nothing else: no --allow-net, --allow-child-process, --allow-addons, --allow-wasi,
// --allow-fs-write. --allow-worker is needed for the host to start one worker per plugin (workers
// inherit the permission model; plugin code cannot reach worker_threads, see import-policy.ts).
// The environment is empty: no DATABASE_URL, no secrets, no NODE_OPTIONS.
import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Packages every sandboxed plugin may import (besides the SDK). */
export const DEFAULT_PACKAGES = ['hono', 'zod', 'eta'];

export const HOST_DIR = resolve(import.meta.dirname, 'host');
export const HOST_ENTRY = join(HOST_DIR, 'main.ts');

/** Real directory of an installed package, found the way Node would from `rootDir`. */
export function packageDir(rootDir: string, name: string): string {
  for (let dir = resolve(rootDir); ; dir = resolve(dir, '..')) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === resolve(dir, '..')) throw new Error(`sandbox: package ${name} is not installed (looked from ${rootDir})`);
  }
}

/** Directories a plugin's worker may import from: its own (first), then the SDK and packages. */
export function importRoots(rootDir: string, pluginDir: string, packages = DEFAULT_PACKAGES): string[] {
  return [realpathSync(pluginDir), realpathSync(join(rootDir, 'plugin-sdk')), ...packages.map((p) => packageDir(rootDir, p))];
}

export type HostLaunch = { execPath: string; args: string[]; env: Record<string, string>; cwd: string };

export function hostLaunch(opts: { readable: string[]; hostHeapMb: number; execPath?: string }): HostLaunch {
  const readable = [...new Set([realpathSync(HOST_DIR), ...opts.readable])].sort();
  return {
    execPath: opts.execPath ?? process.execPath,
    args: [
      '--permission',
      '--allow-worker',
      ...readable.map((dir) => `--allow-fs-read=${dir}`),
      `--max-old-space-size=${opts.hostHeapMb}`,
      '--disable-warning=SecurityWarning',
      '--disable-warning=ExperimentalWarning',
      '--no-addons',
      '--no-experimental-websocket',
      HOST_ENTRY,
    ],
    env: {},
    cwd: realpathSync(HOST_DIR),
  };
}
