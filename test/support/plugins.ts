// Migration sources of the plugins a test run needs in its template database.
// Until the plugin host lands there are none; it will list plugins/*/migrations.
import type { MigrationSource } from '../../core/db/migrate.ts';

export async function pluginMigrationSources(_root: string): Promise<MigrationSource[]> {
  return [];
}
