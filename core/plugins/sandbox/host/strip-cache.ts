// TypeScript sources of a worker, stripped of types once in the host's main thread. Node's own
// type stripping loads a WebAssembly compiler into every isolate that imports a .ts file: about
// 12 MB and most of a second per worker. Handing each worker its sources already stripped (see
// worker-boot.mjs) keeps that to one copy, in this thread.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const MAX_FILES = 2_000;
const cache = new Map<string, { mtimeMs: number; size: number; source: string }>();

function tsFiles(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    // Node 26's permission model refuses to list a granted directory whose path another granted
    // one extends (plugins/foo beside plugins/foo-bar), though it reads the files inside: those
    // sources are left to Node's own stripping (slower to start, same result).
    return;
  }
  for (const entry of entries) {
    if (out.length >= MAX_FILES) return;
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tsFiles(path, out);
    else if (/\.m?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
}

/** file: URL → stripped source, for every .ts/.mts file under `dirs` (files that fail to strip are left to Node). */
export function strippedSources(dirs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const files: string[] = [];
  for (const dir of dirs) tsFiles(dir, files);
  for (const path of files) {
    try {
      const { mtimeMs, size } = statSync(path);
      let hit = cache.get(path);
      if (!hit || hit.mtimeMs !== mtimeMs || hit.size !== size) {
        hit = { mtimeMs, size, source: stripTypeScriptTypes(readFileSync(path, 'utf8'), { mode: 'strip' }) };
        cache.set(path, hit);
      }
      out[pathToFileURL(path).href] = hit.source;
    } catch {
      // Node will strip (or reject) it itself when it is imported.
    }
  }
  return out;
}
