// The fake's HTTP listener: reads a bounded body, hands it to a handler, writes JSON back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawRequest, RawResponse } from './dispatch.ts';

const MAX_BODY = 1 << 20;

export async function listen(handler: (req: RawRequest) => Promise<RawResponse>, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      handler({ method: req.method ?? 'GET', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
        .then(({ status, body }) => {
          const json = JSON.stringify(body);
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
          res.end(json);
        })
        .catch((err: unknown) => {
          console.error('fake plaid: request failed', err);
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}` };
}
