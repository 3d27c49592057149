// The plugin author's test harness: a real mff kernel on its own test database, serving real HTTP
// on a loopback port, with the plugins under test loaded (in the mode asked for), approved, and
// their migrations applied. Sign users in, call pages, fragments and the API, run jobs to completion.
//
//   const t = await createTestKernel({ plugins: [{ dir: new URL('..', import.meta.url), mode }] });
//   const alice = await t.signUp();                  // a user with a household, signed in
//   const page = await alice.get('/p/savings-goals/');
//   await t.runSchedule('savings-goals', 'nightly', alice.householdId);
//   await t.close();
//
// Run with `npm test` (it prepares the database server; see test/run.ts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mode } from './types.ts';
import type { Config } from '../core/config.ts';
import type { Kernel } from '../core/kernel.ts';
import { jobQueue } from '../core/plugins/naming.ts';
import { loadSandbox } from '../core/plugins/runtimes.ts';
import { bindTransaction, type Tx } from '../core/db/household-binding.ts';
import { APP_ROLE, isSuperuser } from '../core/db/roles.ts';
import { roleSuffix } from '../core/plugins/db-role.ts';
import { startTestServer, type TestServer } from '../test/support/server.ts';
import { TestClient, type TestResponse } from '../test/support/client.ts';
import { signUp, type TestUser } from '../test/support/users.ts';

export type TestPlugin = {
  /** The plugin's directory (containing plugin.json), as a path or a file: URL. */
  dir: string | URL;
  mode?: Mode;
  /** Defaults to the manifest's id. */
  id?: string;
  /** Sandboxed: limits as mff.config.ts would set them ({ cpuMs, heapMb, messageBytes }). */
  limits?: { cpuMs?: number; heapMb?: number; messageBytes?: number };
};

export type CreateTestKernelOptions = {
  plugins: TestPlugin[];
  /** Approve the plugins' permissions (as the admin would) so they start enabled. Default true. */
  approve?: boolean;
  /** Run job handlers in this process (default true), so runJob / runSchedule complete. */
  jobs?: boolean;
  /**
   * Where ctx.fetch really goes for declared hosts: { 'api.example.com': 'http://127.0.0.1:4010' }.
   * The plugin still needs the host in its manifest; only the connection is redirected.
   */
  hosts?: Record<string, string>;
  config?: Partial<Config>;
};

/** A signed-in browser-like client with a household of its own. */
export type TestSession = {
  client: TestClient;
  user: TestUser;
  householdId: string;
  get(path: string, headers?: Record<string, string>): Promise<TestResponse>;
  /** An htmx request (HX-Request: true) with the page's CSRF token, as htmx sends it. */
  htmx(method: string, path: string, fields?: Record<string, string>): Promise<TestResponse>;
  /** A form post with the CSRF token. */
  form(path: string, fields: Record<string, string>): Promise<TestResponse>;
  /** A JSON API call with the session's cookies and CSRF header. */
  api(method: string, path: string, body?: unknown): Promise<TestResponse>;
};

export type TestKernel = {
  kernel: Kernel;
  server: TestServer;
  baseUrl: string;
  /** Signs up a new user, creates a household (optionally named) and selects it. */
  signUp(opts?: { name?: string; household?: { name?: string; baseCurrency?: string; timeZone?: string } }): Promise<TestSession>;
  /** Signs up a new user who joins `owner`'s household with `role` (through an invite) and selects it. */
  join(owner: TestSession, role: 'owner' | 'member' | 'viewer'): Promise<TestSession>;
  /** Enqueues one of a plugin's jobs for a household and waits until it completed (throws if it failed). */
  runJob(pluginId: string, job: string, householdId: string, data?: unknown): Promise<void>;
  /** Fires a schedule for one household now and waits until its job completed. */
  runSchedule(pluginId: string, schedule: string, householdId: string): Promise<void>;
  /** Waits for a job (by id, e.g. from an API answer) of a household to complete. */
  waitForJob(householdId: string, jobId: string): Promise<void>;
  /** Runs `fn` in a transaction bound to the household (row-level security applies), for assertions. */
  asHousehold<T>(householdId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/** The modes this build can run plugins in: in-process always, sandboxed when the sandbox is present. */
export async function availableModes(): Promise<Mode[]> {
  const only = process.env.MFF_TEST_PLUGIN_MODES;
  if (only) return only.split(',').map((m) => m.trim()) as Mode[];
  const sandbox = await loadSandbox();
  return typeof sandbox?.createSandbox === 'function' ? ['in-process', 'sandboxed'] : ['in-process'];
}

function manifestId(dir: string): string {
  const file = resolve(dir, 'plugin.json');
  if (!existsSync(file)) throw new Error(`createTestKernel: no plugin.json in ${dir}`);
  return JSON.parse(readFileSync(file, 'utf8')).id;
}

async function waitDone(k: Kernel, householdId: string, jobId: string): Promise<void> {
  for (let i = 0; ; i++) {
    const s = await k.jobs.status(householdId, jobId);
    if (s?.state === 'completed') return;
    if (s?.state === 'failed' || s?.state === 'cancelled') throw new Error(`job ${s.queue} ${jobId} ${s.state}: ${s.error ?? ''}`);
    if (i > 1200) throw new Error(`job ${jobId} did not complete in time (state ${s?.state ?? 'unknown'})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function createTestKernel(opts: CreateTestKernelOptions): Promise<TestKernel> {
  const plugins = opts.plugins.map((p) => {
    const dir = p.dir instanceof URL || p.dir.startsWith('file:') ? fileURLToPath(p.dir) : resolve(p.dir);
    return { id: p.id ?? manifestId(dir), from: dir, mode: p.mode ?? 'in-process' as Mode, ...(p.limits ? { limits: p.limits } : {}) };
  });
  const server = await startTestServer({
    startJobs: opts.jobs ?? true,
    config: { ...opts.config, plugins },
  });
  const k = server.kernel;
  let reader: Promise<string | null> | undefined;
  if (opts.hosts) {
    const map = new Map(Object.entries(opts.hosts).map(([host, to]) => [host.toLowerCase(), new URL(to)]));
    k.plugins.capabilities.fetchRewrite = (url) => {
      const to = map.get(url.hostname.toLowerCase());
      return to ? new URL(url.pathname + url.search, to) : null;
    };
  }
  if (opts.approve ?? true) {
    for (const p of plugins) {
      const hosted = k.plugins.get(p.id);
      if (hosted?.status === 'needs-approval') await k.plugins.approve(p.id, null, hosted.requested);
    }
    for (const p of plugins) {
      const after = k.plugins.get(p.id);
      if (after?.status !== 'active') {
        await server.close();
        throw new Error(`plugin ${p.id} did not start: ${after?.status} (${after?.reason ?? after?.error ?? 'unknown'})`);
      }
    }
  }

  async function session(client: TestClient, user: TestUser): Promise<TestSession> {
    await client.get('/'); // the page's fresh CSRF token
    const me = (await client.api('GET', '/api/v1/me')).json();
    const householdId: string = me.currentHousehold?.id;
    if (!householdId) throw new Error('no household is selected for the new session');
    const headers = () => ({ 'x-csrf-token': client.csrf });
    return {
      client,
      user,
      householdId,
      get: (path, hdrs) => client.get(path, hdrs),
      htmx: (method, path, fields) =>
        client.request(method, path, {
          headers: { 'hx-request': 'true', ...headers(), ...(fields ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
          body: fields ? new URLSearchParams(fields) : undefined,
        }),
      form: (path, fields) => client.form(path, fields),
      api: (method, path, body) => client.api(method, path, body, { headers: headers() }),
    };
  }

  const runAndWait = async (queue: string, householdId: string, data: unknown) => {
    const id = await k.jobs.enqueue(queue, { householdId, userId: null, data: data ?? null });
    if (!id) throw new Error(`enqueue ${queue}: dropped as a duplicate`);
    await waitDone(k, householdId, id);
  };

  return {
    kernel: k,
    server,
    baseUrl: server.baseUrl,
    async signUp(o = {}) {
      const client = new TestClient(server.baseUrl);
      const user = await signUp(client, { name: o.name });
      const h = { name: `${user.name}'s household`, baseCurrency: 'EUR', timeZone: 'Europe/Berlin', ...o.household };
      const res = await client.form('/households', h);
      if (res.status !== 303 && res.status !== 204) throw new Error(`POST /households: ${res.status} ${res.text.slice(0, 300)}`);
      return session(client, user);
    },
    async join(owner, role) {
      const invite = await owner.api('POST', `/api/v1/households/${owner.householdId}/invites`, { role });
      if (invite.status !== 201) throw new Error(`invite: ${invite.status} ${invite.text}`);
      const client = new TestClient(server.baseUrl);
      const user = await signUp(client);
      const accepted = await client.api('POST', '/api/v1/invites/accept', { token: invite.json().token }, { headers: { 'x-csrf-token': client.csrf } });
      if (accepted.status !== 200) throw new Error(`accept invite: ${accepted.status} ${accepted.text}`);
      return session(client, user);
    },
    runJob: (pluginId, job, householdId, data) => runAndWait(jobQueue(pluginId, job), householdId, data),
    async runSchedule(pluginId, schedule, householdId) {
      const id = await k.plugins.bus.runSchedule(pluginId, schedule, householdId);
      if (!id) throw new Error(`schedule ${schedule}: dropped as a duplicate`);
      await waitDone(k, householdId, id);
    },
    waitForJob: (householdId, jobId) => waitDone(k, householdId, jobId),
    asHousehold: async (householdId, fn) => {
      const role = await (reader ??= testReader(k));
      if (!role) return k.db.withHousehold({ householdId }, fn);
      return k.db.admin.begin(async (tx) => {
        await tx.unsafe(`set local role ${role}`);
        await bindTransaction(tx as unknown as Tx, k.db.bindingKey, { householdId });
        return fn(tx as unknown as Tx);
      }) as Promise<never>;
    },
    close: () => server.close(),
  };
}

/**
 * The role asHousehold reads and writes as: the app role's rights and every sandboxed plugin's
 * runtime role's (the app role has none on their tables: core/plugins/db-role.ts), still under
 * row-level security. Test-only, named like the plugin roles so test/support/database.ts drops it
 * with the database. Null without a superuser connection (then: the app role).
 */
async function testReader(k: Kernel): Promise<string | null> {
  if (!(await isSuperuser(k.db.admin))) return null;
  const suffix = roleSuffix(new URL(k.db.adminUrl).pathname.slice(1));
  const role = `mff_p_test_reader_${suffix}`;
  await k.db.admin.unsafe(`do $$ begin if not exists (select from pg_roles where rolname = '${role}') then create role ${role} nologin; end if; end $$`);
  await k.db.admin.unsafe(`grant ${APP_ROLE} to ${role}`);
  const runtimes = await k.db.admin`select rolname from pg_roles where rolname ~ ${`^mff_p_.*_${suffix}$`} and rolname <> ${role} and rolcanlogin`;
  for (const r of runtimes) await k.db.admin.unsafe(`grant "${r.rolname}" to ${role}`);
  return role;
}

export const pluginDir = (metaUrl: string, up = '..') => resolve(dirname(fileURLToPath(metaUrl)), up);
