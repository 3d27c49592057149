// Migration sources of every first-party plugin, so the test template database has their schemas.
// A plugin's migrations live in plugins/<id>/migrations and run in schema <id> (dashes → underscores).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationSource } from '../../core/db/migrate.ts';

export async function pluginMigrationSources(root: string): Promise<MigrationSource[]> {
  const dir = join(root, 'plugins');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((id) => existsSync(join(dir, id, 'migrations')))
    .sort()
    .map((id) => ({ scope: id, dir: join(dir, id, 'migrations'), schema: id.replaceAll('-', '_') }));
}
