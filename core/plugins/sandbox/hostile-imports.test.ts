// A hostile sandboxed plugin tries to reach Node's powerful modules and process internals. Each
// attempt is refused, and a well-behaved plugin in the same plugin-host process keeps answering.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PluginRuntime } from '../../../plugin-sdk/types.ts';
import { directSandbox, type DirectSandbox } from './test-support/direct.ts';

describe('sandbox: imports and process internals', () => {
  let sb: DirectSandbox;
  let hostile: PluginRuntime;
  let hello: PluginRuntime;
  before(async () => {
    sb = directSandbox();
    [hostile, hello] = await Promise.all([sb.start('hostile'), sb.start('hello')]);
  });
  after(() => sb?.close());

  /** The neighbour still serves: the attack affected nothing but the attacker's own call. */
  async function othersServe() {
    const res = await sb.get(hello, '/hello?name=neighbour');
    assert.equal(res.status, 200);
    assert.match(res.text, /Hello, neighbour!/);
  }

  async function refusedImport(spec: string, pattern: RegExp) {
    const r = await sb.get(hostile, `/try/import?spec=${encodeURIComponent(spec)}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.ok, false, `import('${spec}') must be refused, got ${JSON.stringify(r.json)}`);
    assert.match(r.json.message, pattern);
    await othersServe();
  }

  for (const mod of ['fs', 'net', 'child_process', 'worker_threads', 'vm']) {
    test(`import('node:${mod}') is refused`, () => refusedImport(`node:${mod}`, new RegExp(`may not import node:${mod}`)));
    test(`import('${mod}') without the node: prefix is refused`, () => refusedImport(mod, new RegExp(`may not import node:${mod}`)));
  }
  for (const mod of ['http', 'https', 'dgram', 'dns', 'inspector', 'module', 'v8', 'os', 'fs/promises', 'sqlite', 'wasi', 'cluster', 'tls', 'http2']) {
    test(`import('node:${mod}') is refused too`, () => refusedImport(`node:${mod}`, /may not import node:/));
  }

  test('createRequire is out of reach: node:module is refused, and so is getBuiltinModule', async () => {
    await refusedImport('node:module', /may not import node:module/);
    const r = await sb.get(hostile, '/try/process?what=getBuiltinModule');
    assert.equal(r.json.ok, false);
    assert.match(r.json.message, /process.getBuiltinModule is not available/);
  });

  test('a .cjs file is refused', () => refusedImport('./evil.cjs', /only ES modules, TypeScript and JSON load/));
  test('a CommonJS .js file does not run as CommonJS', () => refusedImport('./legacy.js', /only ES modules, TypeScript and JSON load|module is not defined in ES module scope/));
  test('a data: URL is refused', () => refusedImport('data:text/javascript,export default globalThis', /may not import data: URLs/));
  test('an http: URL is refused', () => refusedImport('http://127.0.0.1:9/evil.js', /may not import http: URLs/));
  test('kernel code outside the plugin is refused', () => refusedImport('../../../../config.ts', /outside the plugin and its allowed packages/));
  test('an installed package that is not allowed is refused', () => refusedImport('postgres', /outside the plugin and its allowed packages/));

  const processCases: [string, RegExp][] = [
    ['binding', /process.binding is not available/],
    ['dlopen', /process.dlopen is not available/],
    ['getBuiltinModule', /process.getBuiltinModule is not available/],
    ['kill', /process.kill is not available/],
    ['_kill', /process._kill is not available/],
    ['report', /Cannot read properties of undefined/],
    ['restore-kill', /Cannot redefine property: kill/],
    ['active-handles', /process._getActiveHandles is not available/],
  ];
  for (const [what, pattern] of processCases) {
    test(`process.${what} is refused`, async () => {
      const r = await sb.get(hostile, `/try/process?what=${what}`);
      assert.equal(r.json.ok, false, JSON.stringify(r.json));
      assert.match(r.json.message, pattern);
      await othersServe();
    });
  }

  test('process.env is empty and read-only', async () => {
    const r = await sb.get(hostile, '/try/process?what=env');
    assert.deepEqual(r.json, { ok: true, value: { keys: [], home: null, db: null } });
    const w = await sb.get(hostile, '/try/process?what=env-write');
    assert.equal(w.json.ok, false);
    await othersServe();
  });

  for (const name of ['fetch', 'WebSocket', 'EventSource', 'BroadcastChannel']) {
    test(`global ${name} is absent`, async () => {
      const r = await sb.get(hostile, `/try/global?name=${name}`);
      assert.deepEqual(r.json, { ok: true, value: { type: 'undefined' } });
      await othersServe();
    });
  }

  test('and beneath all that, the plugin-host process itself has no network, child processes, addons, file writes or environment', async () => {
    const { confinement } = await sb.sandbox.stats();
    assert.deepEqual(confinement, { permission: true, net: false, childProcess: false, addons: false, fsWrite: false, worker: true, envKeys: 0 });
  });
});

describe('sandbox: a plugin importing node:net at the top of its entry', () => {
  let sb: DirectSandbox;
  after(() => sb?.close());

  test('a static import of node:net stops the plugin from loading at all; its neighbour still serves', async () => {
    sb = directSandbox();
    const [hello, refused] = await Promise.allSettled([sb.start('hello'), sb.start('static-import')]);
    assert.equal(refused.status, 'rejected');
    assert.match(String((refused as PromiseRejectedResult).reason?.message), /sandboxed plugins may not import node:net/);
    assert.equal(hello.status, 'fulfilled');
    const res = await sb.get((hello as PromiseFulfilledResult<PluginRuntime>).value, '/hello?name=neighbour');
    assert.equal(res.status, 200);
  });
});
