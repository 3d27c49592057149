// A real kernel on its own cloned database, served over real HTTP on a loopback port.
import { serve, type ServerType } from '@hono/node-server';
import { resolve } from 'node:path';
import type { Hono } from 'hono';
import { loadConfig, type Config } from '../../core/config.ts';
import { createApp } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { createKernel, type Kernel } from '../../core/kernel.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export type TestServer = {
  kernel: Kernel;
  app: Hono<AppEnv>;
  baseUrl: string;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
};

export async function startTestServer(
  opts: { config?: Partial<Config>; startJobs?: boolean; extend?: (app: Hono<AppEnv>, k: Kernel) => void } = {},
): Promise<TestServer> {
  const root = resolve(import.meta.dirname, '../..');
  const database = await createTestDatabase();
  // The plugins mff.config.ts lists for the instance are not part of a kernel test: a test that wants
  // plugins names them (plugin-sdk/testing.ts passes config.plugins).
  const config = { ...(await loadConfig(root)), plugins: [], PORT: 0, HOST: '127.0.0.1', ...opts.config } as Config;
  const kernel = await createKernel(config, { databaseUrl: database.url, startJobs: opts.startJobs ?? false, poolSize: 4 });
  const app = createApp(kernel, opts.extend ? (a) => opts.extend!(a, kernel) : undefined);
  const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const { port } = server.address() as { port: number };
  return {
    kernel,
    app,
    config,
    database,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await kernel.stop();
      await database.drop();
    },
  };
}
