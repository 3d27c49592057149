// Runs in a plugin's worker before any plugin code: takes away what the permission model leaves
// (process.kill, process.getBuiltinModule, process.report, globals that reach the network...).
// `process` keeps only an allowlist, so an API added by a future Node is closed until reviewed.
// Every property is redefined non-configurable, so plugin code cannot put the original back.

/** Properties of `process` a plugin may use (or that Node's own code in the worker relies on). */
const KEEP = new Set([
  // EventEmitter state and internals Node calls while running the worker.
  '_events', '_eventsCount', '_maxListeners', '_exiting', '_fatalException', '_tickCallback',
  'arch', 'platform', 'release', 'version', 'versions', 'features', 'config',
  'nextTick', 'hrtime', 'uptime', 'cpuUsage', 'threadCpuUsage', 'memoryUsage', 'resourceUsage',
  'availableMemory', 'constrainedMemory', 'emitWarning', 'exitCode', 'domain', 'ref', 'unref', 'finalization',
  'sourceMapsEnabled', 'setSourceMapsEnabled',
  'hasUncaughtExceptionCaptureCallback', 'setUncaughtExceptionCaptureCallback', 'addUncaughtExceptionCaptureCallback',
  // In a worker these end (or print from) this worker only.
  'exit', 'reallyExit', 'stdout', 'stderr', 'stdin', '_rawDebug',
  // Replaced below with harmless values.
  'env', 'argv', 'execArgv', 'title', 'pid', 'ppid', 'argv0', 'execPath', 'permission',
]);

/** Globals that reach the network, other workers, or storage on disk. */
const REMOVED_GLOBALS = ['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest', 'BroadcastChannel', 'localStorage', 'sessionStorage', 'Storage'];

export class SandboxDenied extends Error {
  override name = 'SandboxDenied';
  code = 'ERR_ACCESS_DENIED';
}

const deniedFunction = (what: string) =>
  function denied(): never {
    throw new SandboxDenied(`${what} is not available to sandboxed plugins`);
  };

function pin(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: false, enumerable: false, configurable: false });
}

export function harden(): void {
  const env = Object.freeze(Object.create(null));
  for (const key of Reflect.ownKeys(process)) {
    if (typeof key !== 'string' || KEEP.has(key)) continue;
    const current = Object.getOwnPropertyDescriptor(process, key);
    pin(process, key, typeof current?.value === 'function' ? deniedFunction(`process.${key}`) : undefined);
  }
  pin(process, 'env', env);
  // Harmless facts about the host, hidden where Node lets us (some are fixed, and stay).
  for (const [key, value] of Object.entries({ argv: Object.freeze(['node', 'plugin']), execArgv: Object.freeze([]), argv0: 'node', execPath: '', title: 'mff-plugin', pid: 0, ppid: 0 })) {
    if (Object.getOwnPropertyDescriptor(process, key)?.configurable !== false) pin(process, key, value);
  }

  for (const name of REMOVED_GLOBALS) {
    if (!(name in globalThis)) continue;
    if (!delete (globalThis as Record<string, unknown>)[name]) pin(globalThis, name, undefined);
  }
  // The only `process` plugin code can reach is this one: the global binding itself is pinned.
  pin(globalThis, 'process', process);
}
