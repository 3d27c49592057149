// What a sandboxed plugin may import, enforced with synchronous module customization hooks
// (module.registerHooks) registered in its worker before plugin code loads. They see every
// `import`, `import()`, `import.meta.resolve` and `require` in the worker.
//
//  - Files: only under the plugin's own directory or an allowed package's directory (real paths,
//    so a symlink can't lead out), and only as ES modules, TypeScript or JSON: no CommonJS (no
//    `require`, no `module`), no .node addons, no WebAssembly modules. Allowed packages (the
//    defaults and those a manifest declares, e.g. an official API client) may be CommonJS: their
//    `require`s pass through these same hooks, and resolve with the "browser" condition, since a
//    sandboxed worker has no Node network stack (it reaches out only through ctx.fetch).
//  - URLs: only file: (no data:, http:, https:, blob:).
//  - Node builtins: a short list of pure ones (path, url, events, buffer...). Never fs, net, http,
//    child_process, worker_threads, vm, inspector, module, v8, os, dns... Allowed packages (hono,
//    zod, eta, the SDK) may also import node:fs (eta reads views; the permission model limits reads
//    to allowed directories and forbids writes) and node:crypto.
import Module, { isBuiltin, registerHooks } from 'node:module';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PURE_BUILTINS = [
  'assert', 'assert/strict', 'async_hooks', 'buffer', 'events', 'path', 'path/posix', 'path/win32', 'punycode',
  'querystring', 'stream', 'stream/consumers', 'stream/promises', 'stream/web', 'string_decoder', 'timers',
  'timers/promises', 'url', 'util', 'util/types', 'zlib',
];
const PACKAGE_BUILTINS = [...PURE_BUILTINS, 'fs', 'fs/promises', 'crypto'];

const MODULE_FORMATS = new Set(['module', 'module-typescript', 'json', 'builtin']);
// CommonJS in allowed packages: Node reports a .js file of a package without "type" as undefined.
const PACKAGE_FORMATS = new Set([...MODULE_FORMATS, 'commonjs', 'undefined', 'null']);

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
      const refused = inPackage(path) ? /\.(cts|node|wasm)$/i : /\.(cjs|cts|node|wasm)$/i;
      if (refused.test(path!)) throw new ImportDenied(`sandboxed plugins may not import '${specifier}': only ES modules, TypeScript and JSON load`);
    },
    /** A `require` from an allowed package resolves with the "browser" condition (see the header). */
    conditionsFor(parentURL: string | undefined, conditions: readonly string[]): string[] | null {
      if (!conditions.includes('require') || conditions.includes('browser') || !inPackage(pathOf(parentURL))) return null;
      return [...conditions, 'browser'];
    },
    checkFormat(url: string, format: string | null | undefined): void {
      if (!(inPackage(pathOf(url)) ? PACKAGE_FORMATS : MODULE_FORMATS).has(String(format))) {
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
      const conditions = policy.conditionsFor(context.parentURL, context.conditions ?? []);
      const resolved = nextResolve(specifier, conditions ? { ...context, conditions } : context);
      policy.checkResolved(resolved.url, specifier);
      return resolved;
    },
    load(url, context, nextLoad) {
      const loaded = nextLoad(url, context);
      policy.checkFormat(url, loaded.format);
      return loaded;
    },
  });
  // CommonJS code can reach the Module class (module.constructor): no more hooks after ours, which
  // could otherwise answer before this policy is asked.
  for (const name of ['registerHooks', 'register'] as const) {
    Object.defineProperty(Module, name, {
      value: () => {
        throw new ImportDenied(`module.${name} is not available to sandboxed plugins`);
      },
      writable: false,
      configurable: false,
    });
  }
}
