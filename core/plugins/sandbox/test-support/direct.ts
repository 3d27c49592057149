// Drives the sandbox without a kernel: a plugin-host process, plugins loaded from the fixtures, and
// a RuntimeHost whose capabilities are test doubles. For attacks that need no database.
import { join, resolve } from 'node:path';
import type { CallInfo, CapabilityPort, PluginRuntime } from '../../../../plugin-sdk/types.ts';
import { log } from '../../../log.ts';
import { createSandbox, type Sandbox } from '../index.ts';
import type { Limits } from '../host/protocol.ts';

export const ROOT = resolve(import.meta.dirname, '../../../..');
export const fixture = (name: string) => join(import.meta.dirname, '..', 'test-fixtures', name);

export const callFor = (id: string, household = '11111111-1111-4111-8111-111111111111'): CallInfo => ({
  plugin: { id, version: '1.0.0', base: `/p/${id}` },
  household: { id: household, name: 'Test household', baseCurrency: 'USD', timeZone: 'UTC' },
  user: null,
  role: 'owner',
});

const stubPort = (call: CallInfo): CapabilityPort =>
  ({
    secrets: { get: async (name: string) => `${name} of ${call.household.id}` },
    settings: { get: async () => ({}) },
    instanceSettings: { get: async () => ({}) },
    log: async () => {},
  }) as unknown as CapabilityPort;

export type DirectSandbox = {
  sandbox: Sandbox;
  start(name: string, opts?: { id?: string; limits?: Partial<Limits> }): Promise<PluginRuntime>;
  get(runtime: PluginRuntime, path: string): Promise<{ status: number; text: string; json: any }>;
  close(): Promise<void>;
};

export function directSandbox(limits: Partial<Limits> = {}): DirectSandbox {
  const sandbox = createSandbox({ rootDir: ROOT, log: log.child({ test: 'sandbox' }), limits });
  return {
    sandbox,
    start(name, opts = {}) {
      const dir = fixture(name);
      const id = opts.id ?? name;
      return sandbox.start({ manifest: { id } as never, dir, entry: join(dir, 'index.ts'), port: stubPort, log: () => {} }, { limits: opts.limits });
    },
    async get(runtime, path) {
      const id = (runtime as { id?: string }).id ?? 'hello';
      const res = await runtime.fetch(new Request(`http://plugin${path}`), callFor(id));
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {}
      return { status: res.status, text, json };
    },
    close: () => sandbox.stop(),
  };
}
