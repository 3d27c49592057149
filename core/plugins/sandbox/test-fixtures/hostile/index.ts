// A hostile plugin. Each /try/... route attempts one thing a sandboxed plugin must not be able to do
// and reports what happened as { ok, value } or { ok: false, name, message }; the tests assert the
// refusal. The routes under /limits/... break the worker itself (spin, heap, flood...).
import { ctxOf, definePlugin, router, type PluginContext } from '../../../../../plugin-sdk/index.ts';

type Outcome = { ok: true; value: unknown } | { ok: false; name: string; message: string };

async function attempt(fn: () => unknown): Promise<Outcome> {
  try {
    const value = await fn();
    return { ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'function' ? `[function ${v.name}]` : v)) ?? null) };
  } catch (err) {
    const e = err as Error;
    return { ok: false, name: e?.name ?? typeof err, message: String(e?.message ?? err) };
  }
}

const g = globalThis as Record<string, any>;
const p = process as unknown as Record<string, any>;

const processAttacks: Record<string, () => unknown> = {
  binding: () => p.binding('fs'),
  dlopen: () => p.dlopen({ exports: {} }, '/tmp/evil.node'),
  getBuiltinModule: () => typeof p.getBuiltinModule('node:net').connect,
  env: () => ({ keys: Object.keys(process.env), home: process.env.HOME ?? null, db: process.env.DATABASE_URL ?? null }),
  'env-write': () => {
    (process.env as Record<string, string>).X = '1';
    return process.env.X ?? null;
  },
  kill: () => p.kill(p.ppid || 1, 'SIGTERM'),
  _kill: () => p._kill(1, 15),
  report: () => p.report.getReport(),
  'restore-kill': () => {
    Object.defineProperty(process, 'kill', { value: () => 'restored' });
    return p.kill();
  },
  'active-handles': () => p._getActiveHandles().length,
};

const routes = router();
const json = (o: Outcome) => new Response(JSON.stringify(o), { headers: { 'content-type': 'application/json' } });

routes.get('/ok', (c) => c.text('ok'));
routes.get('/try/import', async (c) => json(await attempt(async () => Object.keys(await import(c.req.query('spec')!)))));
routes.get('/try/process', async (c) => json(await attempt(processAttacks[c.req.query('what')!])));
routes.get('/try/global', async (c) =>
  json(
    await attempt(async () => {
      const name = c.req.query('name')!;
      if (typeof g[name] !== 'function') return { type: typeof g[name] };
      if (name === 'fetch') return (await g.fetch('http://127.0.0.1:5432/')).status;
      return new g[name]('ws://127.0.0.1:5432/');
    }),
  ),
);
routes.get('/try/fetch', async (c) => json(await attempt(async () => (await ctxOf(c).fetch(c.req.query('url')!)).status)));
routes.get('/try/secret', async (c) => json(await attempt(() => ctxOf(c).secrets.get(c.req.query('name')!))));
routes.get('/try/sql', async (c) => json(await attempt(() => ctxOf(c).db.sql.unsafe(c.req.query('q')!))));
routes.get('/try/tx', async (c) =>
  json(await attempt(() => ctxOf(c).db.tx(async (sql) => {
    for (const q of c.req.queries('q') ?? []) await sql.unsafe(q);
    return sql.unsafe('select note from items order by id');
  }))),
);
routes.get('/try/enqueue', async (c) =>
  json(await attempt(() => ctxOf(c).jobs.enqueue(c.req.query('job')!, { householdId: c.req.query('household'), note: 'forged' }, { household: c.req.query('household') } as never))),
);
routes.get('/items/add', async (c) => json(await attempt(() => ctxOf(c).db.sql`insert into items (note) values (${c.req.query('note')!}) returning note`)));
routes.get('/items', async (c) => json(await attempt(() => ctxOf(c).db.sql`select household_id, note from items order by id`)));

// HTML that reaches out of its box; the kernel must refuse it.
const pages: Record<string, string> = {
  oob: '<div id="p-hostile-x">card</div><nav id="nav" hx-swap-oob="true">owned</nav>',
  'data-oob': '<div data-hx-swap-oob="outerHTML:#main">owned</div>',
  target: '<button hx-get="/p/hostile/ok" hx-target="#main">go</button>',
  closest: '<button hx-get="/p/hostile/ok" hx-target="closest body">go</button>',
  post: '<button hx-post="/households/current/members/remove">leave</button>',
  traversal: '<button hx-delete="/p/hostile/../../api/v1/me">go</button>',
  form: '<form method="post" action="/logout"><button>log out</button></form>',
  include: '<button hx-post="/p/hostile/steal" hx-include="closest form">go</button>',
  script: '<p>hi</p><script>alert(1)</script>',
  handler: '<img src="/x.png" onerror="alert(1)">',
  'js-url': '<a href="jav&#x61;script:alert(1)">x</a>',
  // In HTML, <style> is raw text: the comment opener is text and </style> ends it, so the div is real.
  'style-comment': '<style>p{}<!--</style><div hx-swap-oob="true" id="nav">owned</div>--></style>',
  // In SVG, <style> is not raw text: here the div IS inside a comment, and harmless.
  'svg-comment': '<svg><style><!--</style><div hx-swap-oob="true" id="nav">x</div>--></style></svg>',
  fine: '<div id="p-hostile-list"><button hx-post="/p/hostile/items" hx-target="#p-hostile-list">add</button></div>',
};
routes.get('/html/:kind', (c) => c.html(pages[c.req.param('kind')] ?? 'none'));
routes.get('/headers', () =>
  new Response('<p>cookies</p>', {
    headers: {
      'content-type': 'text/html',
      'set-cookie': 'mff_session=stolen; Path=/',
      'content-security-policy': "script-src * 'unsafe-inline'",
      refresh: '0; url=https://evil.example',
      'x-kept': 'no',
    },
  }),
);
routes.get('/redirect-out', () => new Response(null, { status: 302, headers: { location: 'https://evil.example/phish' } }));

// Limits: each of these ends the worker; the kernel restarts it.
const sleep = () => new Promise((r) => setImmediate(r));
routes.get('/limits/spin', () => {
  for (;;);
});
routes.get('/limits/heap', () => {
  const hoard: unknown[] = [];
  for (;;) hoard.push({ a: new Array(1000).fill(Math.random()) });
});
routes.get('/limits/external', async () => {
  const hoard: Uint8Array[] = [];
  for (;;) {
    hoard.push(new Uint8Array(8 * 1024 * 1024).fill(1));
    await sleep();
  }
});
routes.get('/limits/flood-logs', (c) => {
  const log = ctxOf(c).log;
  for (let i = 0; i < 5_000_000; i++) log.info('flood');
  return c.text('survived');
});
routes.get('/limits/flood-caps', async (c) => {
  const ctx: PluginContext = ctxOf(c);
  await Promise.all(Array.from({ length: 5000 }, () => ctx.settings.get()));
  return c.text('survived');
});
routes.get('/limits/big-cap', async (c) => {
  await ctxOf(c).secrets.set('mine', 'x'.repeat(9 * 1024 * 1024));
  return c.text('survived');
});
routes.get('/limits/sparse', async (c) => {
  const huge: unknown[] = [];
  huge.length = 2 ** 32 - 1; // a few bytes on the wire, four billion slots for any loop over it
  await ctxOf(c).jobs.enqueue('record', { note: 'sparse', huge });
  return c.text('survived');
});
routes.get('/limits/big-response', (c) => c.text('x'.repeat(9 * 1024 * 1024)));
routes.get('/limits/crash', (c) => {
  setTimeout(() => {
    throw new Error('crashed on purpose');
  }, 50);
  return c.text('crashing');
});

export default definePlugin({
  routes,
  jobs: {
    record: {
      handler: async (data: { householdId?: string; note: string }, ctx) =>
        void (await ctx.db.sql`insert into items (note) values (${`job for ${ctx.household.id}, claimed ${data.householdId}`})`),
    },
  },
  fragments: { 'home.card': { title: 'Hostile', render: async () => '<p id="p-hostile-card">hostile card</p>' } },
});
