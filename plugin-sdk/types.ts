// The plugin SDK's types: what a plugin declares (PluginDefinition, Manifest), what its handlers
// receive (PluginContext), and the boundary between a plugin and the kernel (CapabilityPort).
//
// Two layers, on purpose:
//  - PluginContext is what plugin code uses: friendly (tagged-template SQL, a Web `fetch`, service
//    proxies). It is built inside the plugin's own process/worker by plugin-sdk/context.ts.
//  - CapabilityPort is what the kernel offers: every method async, every argument and result plain
//    data (structured-clone / JSON friendly), bound by the kernel to one call (plugin, household,
//    user). In-process, the port is core/plugins/capabilities.ts called directly; sandboxed, the
//    same methods travel as RPCs and the kernel runs the same capabilities.ts, so every permission
//    check lives in one place.
import type { Hono } from 'hono';
import type { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Manifest (plugin.json), validated against plugin-sdk/manifest.schema.json before code loads.

export type Role = 'owner' | 'member' | 'viewer';
export type Mode = 'in-process' | 'sandboxed';

/** Named UI places a plugin may fill. Kernel pages render them; a plugin declares those it fills. */
export type SlotName = 'home.card' | 'account.tab' | 'settings.section' | 'nav';

export type Manifest = {
  /** Lower-case letters, digits and dashes; the URL prefix (/p/<id>, /api/v1/<id>) and schema name. */
  id: string;
  /** Human name shown to admins; defaults to the id. */
  name?: string;
  version: string; // semver
  sdk: string; // semver range the plugin was written for, e.g. "^1.0.0"
  description: string;
  permissions?: {
    /** Hosts ctx.fetch may reach: "api.example.com", "*.example.com", optionally ":port". */
    net?: string[];
    /** Names ctx.secrets may read and write. */
    secrets?: string[];
    /** Other plugins' tables, as "<plugin>.<table>". */
    db?: { read?: string[]; write?: string[] };
    /** Services this plugin may call without requiring them (optional dependencies). */
    services?: string[];
    /**
     * Paths of definePlugin({ publicRoutes }) anyone may call, under /hooks/<id>/<household id>:
     * "/webhook", or "/events/*" for a subtree. Others answer 404.
     */
    publicRoutes?: string[];
  };
  /** Services that must be provided by another enabled plugin for this one to start. */
  requires?: string[];
  /** Services this plugin provides (must match definePlugin({ services })). */
  provides?: string[];
  slots?: SlotName[];
  /** Navigation entry (needs slot "nav"): label, path under /p/<id>. */
  nav?: { label: string; path?: string; order?: number };
  /** JSON Schema (type object) of per-household settings; the kernel renders and stores them. */
  settings?: JsonSchemaObject;
  /**
   * JSON Schema (type object) of instance-wide settings, set once by the instance admin on
   * /admin/plugins/<id>/settings (e.g. an API client id and secret). Fields with `"writeOnly": true`
   * are secrets: sealed at rest, never shown again. Read with ctx.instanceSettings.get().
   */
  instanceSettings?: JsonSchemaObject;
  /** Modes this plugin supports and the one it prefers; mff.config.ts decides. */
  modes?: { supported?: Mode[]; preferred?: Mode };
  /** Entry module relative to the plugin directory (default "index.ts"). */
  main?: string;
  /**
   * Larger request bodies for some routes (e.g. file uploads), by path under the plugin's prefixes
   * (/p/<id> and /api/v1/<id>): { "/imports": 67108864 }. Capped by the instance's http.maxUploadBytes;
   * every other route keeps http.maxBodyBytes.
   */
  bodyLimits?: Record<string, number>;
  /**
   * npm packages (installed with the instance) the plugin imports besides hono, zod and eta, e.g. an
   * official API client. Sandboxed, they and their dependencies become importable (CommonJS too).
   */
  packages?: string[];
};

export type JsonSchemaObject = {
  type: 'object';
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
  [k: string]: unknown;
};

// ---------------------------------------------------------------------------------------------
// What a plugin's handlers receive.

export type HouseholdInfo = { id: string; name: string; baseCurrency: string; timeZone: string };
export type UserInfo = { id: string; name: string; email: string };
export type PluginInfo = { id: string; version: string; /** URL prefix of its pages: "/p/<id>" */ base: string };

/** Who a call acts for. Plain data: it crosses the sandbox boundary with every call. */
export type CallInfo = {
  plugin: PluginInfo;
  household: HouseholdInfo;
  /** Null for jobs, schedules and events that no user started. */
  user: UserInfo | null;
  role: Role | null;
  /** Kernel's request id (or job id), for logs. */
  requestId?: string;
  /** Requests only: the CSRF token, for a hidden `_csrf` field in forms that post without htmx. */
  csrf?: string;
  /** API requests only: the request's `Idempotency-Key` header, for routes that honour one. */
  idempotencyKey?: string;
  /**
   * Service calls only: the plugin that called, as the kernel knows it (never what the caller says
   * of itself), so a provider can tie what it accepts to the caller (the ledger's sources write only
   * under their own id).
   */
  caller?: { id: string };
  /**
   * Jobs only: the kernel job this call runs (whose progress ctx.jobs.progress reports), which run
   * of it this is (1 = first), and whether it is the last: if it throws now, it is not retried.
   */
  job?: { id: string; queue: string; attempt: number; lastAttempt: boolean };
};

export type SqlParam = string | number | boolean | null | Date | Uint8Array | SqlParam[] | { [k: string]: unknown };
export type Row = Record<string, unknown>;
export type Statement = { text: string; params?: SqlParam[] };

/** A query built with the `sql` tag. Awaiting it runs it; nesting it inside another `sql` inlines it. */
export interface SqlQuery<T extends Row = Row> extends PromiseLike<T[]> {
  readonly text: string;
  readonly params: SqlParam[];
}

/** Tagged-template SQL: values are always bound parameters, never spliced into the text. */
export interface PluginSql {
  <T extends Row = Row>(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery<T>;
  /** A statement given as text with $1..$n parameters. */
  unsafe<T extends Row = Row>(text: string, params?: SqlParam[]): Promise<T[]>;
}

/**
 * The household-bound database. Every statement runs in a transaction the kernel binds to this
 * call's household: row-level security refuses other households' rows, whatever the SQL says.
 * `search_path` is the plugin's own schema, so its tables need no schema prefix.
 */
export interface PluginDb {
  /** One statement in its own transaction. */
  sql: PluginSql;
  /** Several statements in one transaction, sent at once (one round trip when sandboxed). */
  batch(statements: (Statement | SqlQuery)[]): Promise<Row[][]>;
  /** A transaction: everything `fn` runs through its `sql` commits together or not at all. */
  tx<T>(fn: (sql: PluginSql) => Promise<T>): Promise<T>;
}

export interface PluginSecrets {
  /** Only names declared in permissions.secrets; null when not set for this household. */
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

export type EnqueueOptions = {
  /** Run no earlier than this many seconds from now. */
  delaySeconds?: number;
  /** At most one queued job per key (per plugin queue and household). */
  singletonKey?: string;
  retryLimit?: number;
};

export type JobProgressReport = { done: number; total?: number | null; message?: string | null };

export interface PluginJobs {
  /** Enqueue one of this plugin's own jobs, for this call's household. Returns the job id. */
  enqueue(job: string, data?: unknown, opts?: EnqueueOptions): Promise<string | null>;
  /**
   * In a job handler: records how far the job is ("40 of 120"), shown by GET /api/v1/jobs/<id>.
   * Refused outside this plugin's own jobs.
   */
  progress(p: JobProgressReport): Promise<void>;
}

export interface PluginEvents {
  /** Emit an event named "<this plugin id>.<something>", for this call's household. */
  emit(name: string, payload?: unknown): Promise<void>;
}

export interface PluginServices {
  /** A proxy to a service declared in manifest `requires` or `permissions.services`. Every method is async. */
  get<T extends object = Record<string, (...args: any[]) => Promise<unknown>>>(name: string): T;
  /** Whether an optional service is currently provided. */
  has(name: string): Promise<boolean>;
}

export type LogFields = Record<string, unknown>;
export interface PluginLog {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface PluginContext extends CallInfo {
  db: PluginDb;
  /** Web fetch, limited to manifest permissions.net hosts; private addresses refused; redirects re-checked. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  secrets: PluginSecrets;
  /** This household's settings for this plugin (manifest `settings` defaults filled in). */
  settings: { get<T extends Record<string, unknown> = Record<string, unknown>>(): Promise<T> };
  /**
   * The instance admin's settings for this plugin (manifest `instanceSettings`, defaults filled in,
   * secret fields decrypted). The same for every household; unset fields are absent.
   */
  instanceSettings: { get<T extends Record<string, unknown> = Record<string, unknown>>(): Promise<T> };
  jobs: PluginJobs;
  events: PluginEvents;
  services: PluginServices;
  /** Renders views/<view>.eta of this plugin, auto-escaped. `it.ctx` holds plugin/household/user. */
  render(view: string, data?: object): Promise<string>;
  /** "/p/<id>" + path: links and form actions to the plugin's own pages. */
  url(path?: string): string;
  log: PluginLog;
}

/** What lifecycle hooks on the whole instance (enable, disable) receive: no household. */
export type InstanceContext = { plugin: PluginInfo; log: PluginLog };

// ---------------------------------------------------------------------------------------------
// definePlugin({...})

/** Hono env of a plugin's routes: `c.env.ctx` is the call's PluginContext (see ctxOf in the SDK). */
export type PluginEnv = { Bindings: { ctx: PluginContext } };
export type PluginApp = Hono<PluginEnv>;

export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type ApiInput<P, Q, B> = { params: P; query: Q; body: B; ctx: PluginContext };

export type PluginApiRoute<P = any, Q = any, B = any> = {
  method: ApiMethod;
  /** Relative to /api/v1/<plugin id>, Hono style: "/goals/:id". */
  path: string;
  summary: string;
  /** 'read' for GET, 'write' otherwise, unless given. */
  scope?: 'read' | 'write';
  /** Least household role allowed (default: viewer for GET, member otherwise). */
  role?: Role;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  response?: z.ZodType;
  status?: number;
  /** Honours an Idempotency-Key header (use `idempotent()` in the handler); documented in OpenAPI. */
  idempotent?: boolean;
  handler: (input: ApiInput<P, Q, B>) => Promise<unknown>;
};

export type JobDefinition<D = any> = {
  handler: (data: D, ctx: PluginContext) => Promise<void>;
  /** Retries after the first failure (default 3). */
  retryLimit?: number;
  /** Wait before a retry (default 5 s); with backoff, the first retry's base. */
  retryDelaySeconds?: number;
  /**
   * Exponential backoff (default true): retry n waits retryDelaySeconds × 2^(n-1) × (1 to 2,
   * jittered), at most retryDelayMaxSeconds. False: every retry waits retryDelaySeconds.
   */
  retryBackoff?: boolean;
  /** Upper bound of a backed-off wait (default 3600 s). */
  retryDelayMaxSeconds?: number;
  /** A run taking longer than this is failed (and retried). */
  expireSeconds?: number;
};

export type ScheduleDefinition = {
  /** Five-field cron, in the instance's time zone (UTC unless TZ is set). */
  cron: string;
  /** One of this plugin's jobs; it is enqueued once per household where the plugin runs. */
  job: string;
  data?: unknown;
};

export type PluginEvent<P = unknown> = { id: string; name: string; payload: P; source: string; at: string };
export type EventHandler<P = any> = (event: PluginEvent<P>, ctx: PluginContext) => Promise<void>;

export type FragmentDefinition = {
  /** Heading shown around the fragment where the slot has one (cards, tabs, sections). */
  title: string;
  order?: number;
  /** Returns HTML (usually ctx.render(...)); `props` are the slot's query parameters (e.g. accountId). */
  render: (ctx: PluginContext, props: Record<string, string>) => Promise<string>;
};

export type ServiceFactory<T extends object = object> = (ctx: PluginContext) => T;

export type PluginDefinition = {
  /** Pages and HTMX fragments under /p/<id>/. Build with `router()` from the SDK. */
  routes?: PluginApp;
  /**
   * Routes anyone may call, for outside services' webhooks: /hooks/<id>/<household id>/...
   * No sign-in, no CSRF check, no cookies; `ctx` is bound to the household named in the URL, with no
   * user. Verify every request yourself (e.g. the sender's signature) before acting on it.
   */
  publicRoutes?: PluginApp;
  /** JSON API routes under /api/v1/<id>/, validated and documented in OpenAPI. */
  api?: PluginApiRoute[];
  jobs?: Record<string, JobDefinition>;
  schedules?: Record<string, ScheduleDefinition>;
  /** Subscriptions: event name → handler. Delivered through the job bus (retried on failure). */
  events?: Record<string, EventHandler>;
  fragments?: Partial<Record<SlotName, FragmentDefinition>>;
  /** Services this plugin provides: name → factory building the implementation for one call. */
  services?: Record<string, ServiceFactory>;
  onEnable?: (ctx: InstanceContext) => Promise<void>;
  onDisable?: (ctx: InstanceContext) => Promise<void>;
  /** Called in the household's context before its rows are deleted: release outside resources. */
  onHouseholdDeleted?: (ctx: PluginContext) => Promise<void>;
};

// ---------------------------------------------------------------------------------------------
// The kernel side of the boundary. Every method is async and takes/returns plain data.

export type FetchRequest = { url: string; method?: string; headers?: [string, string][]; body?: Uint8Array | string | null };
export type FetchResponse = { url: string; status: number; statusText: string; headers: [string, string][]; body: Uint8Array };

export interface CapabilityPort {
  db: {
    query(stmt: Statement, txId?: string): Promise<Row[]>;
    batch(stmts: Statement[]): Promise<Row[][]>;
    /** Opens a bound transaction and returns its id; it ends with commit or rollback (or a timeout). */
    begin(): Promise<string>;
    commit(txId: string): Promise<void>;
    rollback(txId: string): Promise<void>;
  };
  fetch(req: FetchRequest): Promise<FetchResponse>;
  secrets: {
    get(name: string): Promise<string | null>;
    set(name: string, value: string): Promise<void>;
    delete(name: string): Promise<void>;
  };
  settings: { get(): Promise<Record<string, unknown>> };
  instanceSettings: { get(): Promise<Record<string, unknown>> };
  jobs: { enqueue(job: string, data: unknown, opts: EnqueueOptions): Promise<string | null>; progress(p: JobProgressReport): Promise<void> };
  events: { emit(name: string, payload: unknown): Promise<void> };
  services: {
    call(name: string, method: string, args: unknown[]): Promise<unknown>;
    has(name: string): Promise<boolean>;
  };
  log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: LogFields): Promise<void>;
}

/** A plugin's surface described as data, so a sandboxed plugin can tell the kernel what it offers. */
export type PluginShape = {
  routes: boolean;
  /** Has publicRoutes: the runtime answers them at /_public/... (the kernel mounts them at /hooks/<id>/<household>/...). */
  publicRoutes?: boolean;
  api: { method: ApiMethod; path: string; summary: string; scope?: 'read' | 'write'; role?: Role; status?: number; idempotent?: boolean;
    /** JSON Schemas (from zod) for OpenAPI and for validation at the kernel. */
    schemas: { params?: object; query?: object; body?: object; response?: object } }[];
  jobs: Record<string, { retryLimit?: number; retryDelaySeconds?: number; retryBackoff?: boolean; retryDelayMaxSeconds?: number; expireSeconds?: number }>;
  schedules: Record<string, ScheduleDefinition>;
  events: string[];
  fragments: Partial<Record<SlotName, { title: string; order?: number }>>;
  services: string[];
  hooks: ('onEnable' | 'onDisable' | 'onHouseholdDeleted')[];
};

/**
 * One loaded plugin, in whichever mode. The in-process host implements it by calling the
 * definition directly; the sandbox implements it over IPC. `port(call)` gives the capabilities for
 * one call; the runtime must route that call's capability requests to exactly that port.
 */
export interface PluginRuntime {
  readonly shape: PluginShape;
  /** Pages and fragments: the request's path is relative to /p/<id> (fragments at /_slot/<slot>). */
  fetch(req: Request, call: CallInfo): Promise<Response>;
  /** API route `index` of shape.api, with already-parsed input. */
  api(index: number, input: { params: unknown; query: unknown; body: unknown }, call: CallInfo): Promise<unknown>;
  job(name: string, data: unknown, call: CallInfo): Promise<void>;
  event(event: PluginEvent, call: CallInfo): Promise<void>;
  service(name: string, method: string, args: unknown[], call: CallInfo): Promise<unknown>;
  hook(name: 'onEnable' | 'onDisable', plugin: PluginInfo): Promise<void>;
  householdDeleted(call: CallInfo): Promise<void>;
  stop(): Promise<void>;
}

/** What the kernel hands a runtime factory: everything it needs to build ports for calls. */
export type RuntimeHost = {
  manifest: Manifest;
  /** Absolute plugin directory. */
  dir: string;
  /** Absolute path of the entry module. */
  entry: string;
  port(call: CallInfo): CapabilityPort & { dispose?(): Promise<void> };
  /** Instance-level log (lifecycle hooks have no call). */
  log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: LogFields): void;
};
