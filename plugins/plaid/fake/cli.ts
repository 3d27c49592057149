// Runs the fake Plaid server on its own, for trying the plugin by hand:
//   node plugins/plaid/fake/cli.ts [--port 8765] [--host 127.0.0.1] [--seed demo] [--client-id ID] [--secret S]
// Prints {url, clientId, secret} as one JSON line, then serves until interrupted.
import { parseArgs } from 'node:util';
import { FakePlaid } from './fake-plaid.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string' },
    'client-id': { type: 'string' },
    secret: { type: 'string' },
  },
});
const fake = await FakePlaid.start({
  port: Number(values.port), host: values.host, seed: values.seed, clientId: values['client-id'], secret: values.secret, autoWebhooks: true,
});
console.log(JSON.stringify({ url: fake.url, clientId: fake.clientId, secret: fake.secret }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void fake.close().then(() => process.exit(0)));
