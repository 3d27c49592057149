// Directories of the packages a sandboxed plugin's manifest declares (`packages`), with their
// dependency closure (package.json `dependencies`, resolved the way Node would from each package),
// so the plugin's worker may import them: e.g. the official `plaid` client and the `axios` it loads.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from './launch.ts';

export function declaredPackageRoots(rootDir: string, packages: readonly string[] = []): string[] {
  const dirs = new Set<string>();
  const visit = (from: string, name: string) => {
    let dir: string;
    try {
      dir = packageDir(from, name);
    } catch (err) {
      throw new Error(`${(err as Error).message} (declared in the manifest's packages, or a dependency of one)`);
    }
    if (dirs.has(dir)) return;
    dirs.add(dir);
    const manifest = join(dir, 'package.json');
    const deps = existsSync(manifest) ? Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).dependencies ?? {}) : [];
    for (const dep of deps) {
      try {
        visit(dir, dep);
      } catch {
        // A dependency that is not installed (optional, platform-specific) simply cannot be imported.
      }
    }
  };
  for (const name of packages) visit(rootDir, name);
  return [...dirs];
}
