// Each test file gets its own database, cloned from the migrated template in a moment.
import { randomBytes } from 'node:crypto';
import postgres, { type Sql } from 'postgres';
import { roleSuffix } from '../../core/plugins/db-role.ts';

export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.MFF_TEST_SERVER_URL;
  const template = process.env.MFF_TEST_TEMPLATE;
  if (!server || !template) throw new Error('run tests with `npm test` (it prepares the database server)');
  const name = `mff_t_${process.env.MFF_TEST_RUN}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database ${name} template ${template}`);
        break;
      } catch (err) {
        // Two files cloning the same template at the same instant: wait and retry.
        if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const a = postgres(server, { max: 1, onnotice: () => {} });
      try {
        await dropDatabase(a, name);
      } finally {
        await a.end();
      }
    },
  };
}

/** Drops a database and the sandboxed plugins' roles made for it (named per database, core/plugins/db-role.ts). */
export async function dropDatabase(server: Sql, name: string): Promise<void> {
  await server.unsafe(`drop database if exists ${name} with (force)`);
  const roles = await server`select rolname from pg_roles where rolname ~ ${`^mff_po?_.*_${roleSuffix(name)}$`}`;
  for (const { rolname } of roles) await server.unsafe(`drop role if exists "${rolname}"`).catch(() => {});
}
