// Entry of a plugin's worker (plain JavaScript, so that starting it loads no TypeScript compiler):
// serves the .ts sources the host stripped for it (strip-cache.ts), then starts worker.ts.
import { registerHooks } from 'node:module';
import { workerData } from 'node:worker_threads';

const sources = new Map(Object.entries(workerData.sources));
delete workerData.sources;
registerHooks({
  load(url, context, nextLoad) {
    const source = sources.get(url);
    if (source !== undefined) return { format: 'module', source, shortCircuit: true };
    return nextLoad(url, context);
  },
});
await import('./worker.ts');
