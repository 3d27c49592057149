// Where the app role's credentials come from: MFF_APP_DATABASE_URL, or (when DATABASE_URL is a
// superuser, as with the embedded server) roles created on the spot with a password kept in ./data.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import type { Config } from '../config.ts';
import { APP_ROLE, ensureRoles, isSuperuser } from './roles.ts';

function storedPassword(config: Config): string {
  const file = join(config.dataDir, 'db-app.password');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

/** Returns the URL the app connects with, creating the roles first when `admin` is a superuser. */
export async function ensureAppRole(config: Config, admin: Sql, adminUrl: string): Promise<string> {
  if (config.MFF_APP_DATABASE_URL) return config.MFF_APP_DATABASE_URL;
  const u = new URL(adminUrl);
  u.username = APP_ROLE;
  u.password = storedPassword(config);
  if (await isSuperuser(admin)) {
    // Roles are cluster-wide and advisory locks are per database, so processes starting on
    // different databases of one server (test files) can collide on the catalog: retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await ensureRoles(admin, u.pathname.slice(1), decodeURIComponent(u.password));
        break;
      } catch (err) {
        if (attempt >= 10 || !/concurrently|duplicate key/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 100));
      }
    }
  }
  return u.toString();
}
