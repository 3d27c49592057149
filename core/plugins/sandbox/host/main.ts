// The plugin-host process. The kernel starts it with Node's permission model (read access to the
// plugins' directories and allowed packages only; no network, child processes, addons or file
// writes) and an empty environment, and talks to it over the IPC channel. Each sandboxed plugin
// runs in its own worker thread here; this main thread only relays and polices (plugin-worker.ts).
import { PluginWorker } from './plugin-worker.ts';
import type { Confinement, HostToKernel, KernelToHost } from './protocol.ts';

const send = (m: HostToKernel) => {
  if (process.connected) process.send!(m);
};

// Refuse to run plugins in a process that is not confined: the kernel checks this answer.
const has = (scope: string) => process.permission?.has(scope as never) ?? true;
const confinement: Confinement = {
  permission: process.permission !== undefined,
  net: has('net'),
  childProcess: has('child'),
  addons: has('addon'),
  fsWrite: has('fs.write'),
  worker: has('worker'),
  envKeys: Object.keys(process.env).length,
};

const workers = new Map<string, PluginWorker>();

function onMessage(m: KernelToHost): void {
  switch (m.t) {
    case 'load': {
      workers.get(m.p)?.stop();
      const worker = new PluginWorker(m.p, { entry: m.entry, roots: m.roots, limits: m.limits }, (out) => {
        if (out.t === 'exit' && workers.get(m.p) === worker) workers.delete(m.p);
        send(out);
      });
      workers.set(m.p, worker);
      return;
    }
    case 'unload':
      workers.get(m.p)?.stop();
      workers.delete(m.p);
      return;
    case 'call': {
      const worker = workers.get(m.p);
      if (worker) worker.post({ t: 'call', id: m.id, kind: m.kind, call: m.call, args: m.args });
      else send({ t: 'exit', p: m.p, reason: 'crash', detail: 'not loaded' });
      return;
    }
    case 'cap':
      workers.get(m.p)?.post({ t: 'cap', id: m.id, ok: m.ok, v: m.v });
      return;
    case 'ping': {
      const stats: Record<string, { heap: number; external: number }> = {};
      for (const [id, w] of workers) stats[id] = w.stats;
      send({ t: 'pong', id: m.id, rss: process.memoryUsage.rss(), workers: stats });
      return;
    }
  }
}

process.on('message', onMessage);
// The kernel went away: so do we (and every plugin with us).
process.on('disconnect', () => process.exit(0));
send({ t: 'hello', confinement });
