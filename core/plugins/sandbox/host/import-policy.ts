// What a sandboxed plugin may import, enforced with synchronous module customization hooks
// (module.registerHooks) registered in its worker before plugin code loads. They see every
// `import`, `import()`, `import.meta.resolve` and `require` in the worker.
//
//  - Files: only under the plugin's own directory or an allowed package's directory (real paths,
//    so a symlink can't lead out), and only as ES modules, TypeScript or JSON: no CommonJS (no
//    `require`, no `module`), no .node addons, no WebAssembly modules.
//  - URLs: only file: (no data:, http:, https:, blob:).
//  - Node builtins: a short list of pure ones (path, url, events, buffer...). Never fs, net, http,
//    child_process, worker_threads, vm, inspector, module, v8, os, dns... Allowed packages (hono,
//    zod, eta, the SDK) may also import node:fs (eta reads views; the permission model limits reads
//    to allowed directories and forbids writes) and node:crypto.
import { isBuiltin, registerHooks } from 'node:module';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PURE_BUILTINS = [
  'assert', 'assert/strict', 'async_hooks', 'buffer', 'events', 'path', 'path/posix', 'path/win32', 'punycode',
  'querystring', 'stream', 'stream/consumers', 'stream/promises', 'stream/web', 'string_decoder', 'timers',
  'timers/promises', 'url', 'util', 'util/types', 'zlib',
];
const PACKAGE_BUILTINS = [...PURE_BUILTINS, 'fs', 'fs/promises', 'crypto'];

const MODULE_FORMATS = new Set(['module', 'module-typescript', 'json', 'builtin']);

export type ImportRoots = {
  /** The plugin's own directory (real path). */
  plugin: string;
  /** Directories of packages the plugin may import (real paths): hono, zod, eta, the SDK. */
  packages: string[];
};

export class ImportDenied extends Error {
  override name = 'ImportDenied';
  code = 'ERR_ACCESS_DENIED';
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

export function createImportPolicy(roots: ImportRoots) {
  const pluginBuiltins = new Set(PURE_BUILTINS);
  const packageBuiltins = new Set(PACKAGE_BUILTINS);

  const pathOf = (url: string | undefined): string | null => {
    if (!url?.startsWith('file:')) return null;
    try {
      return fileURLToPath(url);
    } catch {
      return null;
    }
  };
  const inPackage = (path: string | null) => path !== null && roots.packages.some((d) => inside(path, d));
  const allowedFile = (path: string | null) => path !== null && (inside(path, roots.plugin) || inPackage(path));

  return {
    /** Throws ImportDenied unless `specifier`, imported from `parentURL`, is allowed. */
    checkSpecifier(specifier: string, parentURL: string | undefined): string | null {
      if (isBuiltin(specifier) || specifier.startsWith('node:')) {
        const name = specifier.replace(/^node:/, '');
        const allowed = inPackage(pathOf(parentURL)) ? packageBuiltins : pluginBuiltins;
        if (!allowed.has(name)) throw new ImportDenied(`sandboxed plugins may not import node:${name}`);
        return `node:${name}`;
      }
      const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(specifier)?.[1]?.toLowerCase();
      if (scheme && scheme !== 'file') throw new ImportDenied(`sandboxed plugins may not import ${scheme}: URLs`);
      return null;
    },
    /** Throws ImportDenied unless a resolved URL is a file the plugin may load. */
    checkResolved(url: string, specifier: string): void {
      if (url.startsWith('node:')) return; // checked by name in checkSpecifier
      const path = pathOf(url);
      if (!allowedFile(path)) throw new ImportDenied(`sandboxed plugins may not import '${specifier}': ${path ?? url} is outside the plugin and its allowed packages`);
      if (/\.(cjs|cts|node|wasm)$/i.test(path!)) throw new ImportDenied(`sandboxed plugins may not import '${specifier}': only ES modules, TypeScript and JSON load`);
    },
    checkFormat(url: string, format: string | null | undefined): void {
      if (!MODULE_FORMATS.has(String(format))) {
        throw new ImportDenied(`sandboxed plugins may not load ${url} as ${format}: only ES modules, TypeScript and JSON load`);
      }
      if (format === 'builtin') {
        const name = url.replace(/^node:/, '');
        if (!packageBuiltins.has(name)) throw new ImportDenied(`sandboxed plugins may not import node:${name}`);
      } else {
        this.checkResolved(url, url);
      }
    },
  };
}

export function installImportPolicy(roots: ImportRoots): void {
  const policy = createImportPolicy(roots);
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const builtin = policy.checkSpecifier(specifier, context.parentURL);
      if (builtin) return { url: builtin, format: 'builtin', shortCircuit: true };
      const resolved = nextResolve(specifier, context);
      policy.checkResolved(resolved.url, specifier);
      return resolved;
    },
    load(url, context, nextLoad) {
      const loaded = nextLoad(url, context);
      policy.checkFormat(url, loaded.format);
      return loaded;
    },
  });
}
