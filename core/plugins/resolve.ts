// Where a plugin listed in mff.config.ts lives: a path ("./plugins/ledger", relative to the
// instance root) or an installed package name ("mff-plugin-x", resolved from the instance root).
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { PluginLoadError } from './errors.ts';

export function resolvePluginDir(id: string, from: string, rootDir: string): string {
  if (from.startsWith('.') || isAbsolute(from)) {
    const dir = resolve(rootDir, from);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PluginLoadError(id, `plugin ${id}: directory ${from} (from mff.config.ts) does not exist`);
    return dir;
  }
  const require = createRequire(join(rootDir, 'package.json'));
  for (const file of ['plugin.json', 'package.json']) {
    try {
      return dirname(require.resolve(`${from}/${file}`));
    } catch {
      // exports maps may hide one of them; try the other
    }
  }
  throw new PluginLoadError(id, `plugin ${id}: package '${from}' (from mff.config.ts) is not installed (npm install ${from})`);
}

/** The first-party plugins ship in <root>/plugins with mff itself. */
export const isFirstParty = (dir: string, rootDir: string) => dir.startsWith(join(rootDir, 'plugins') + '/');
