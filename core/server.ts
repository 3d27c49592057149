// Serves the kernel's app over HTTP and shuts everything down cleanly on SIGINT / SIGTERM.
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from './config.ts';
import { createApp } from './http/app.ts';
import { createKernel, type Kernel } from './kernel.ts';
import { log } from './log.ts';

export type RunningServer = { kernel: Kernel; server: ServerType; port: number; stop(): Promise<void> };

export async function startServer(config: Config): Promise<RunningServer> {
  const kernel = await createKernel(config);
  const app = createApp(kernel);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (err) => {
    await kernel.stop();
    throw err;
  });
  const port = (server.address() as { port: number }).port;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('stopping');
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await kernel.stop();
      log.info('stopped');
    })());
  return { kernel, server, port, stop };
}
