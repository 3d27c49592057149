// A loopback HTTP endpoint that records the webhooks it receives (raw body and headers) and answers
// with whatever `respond` decides, 200 by default.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: Record<string, string | string[] | undefined>; rawBody: string; body: Record<string, unknown> };

export type Receiver = { url: string; received: Received[]; close(): Promise<void> };

export async function startReceiver(respond: (r: Received) => Promise<number> | number = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const r: Received = { headers: req.headers, rawBody, body: JSON.parse(rawBody) as Record<string, unknown> };
      received.push(r);
      res.writeHead(await respond(r)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/plaid`,
    received,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
