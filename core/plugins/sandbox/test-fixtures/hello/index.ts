// A well-behaved plugin: what keeps answering while its hostile neighbour is refused or restarted.
import { ctxOf, definePlugin, router } from '../../../../../plugin-sdk/index.ts';

const routes = router();
routes.get('/hello', async (c) => c.html(await ctxOf(c).render('hello', { name: c.req.query('name') ?? 'world' })));
routes.get('/who', (c) => c.json({ household: ctxOf(c).household.id, user: ctxOf(c).user?.id ?? null }));
routes.get('/secret', async (c) => c.json({ token: await ctxOf(c).secrets.get('token') }));
routes.get('/set-secret', async (c) => {
  await ctxOf(c).secrets.set('token', c.req.query('value') ?? '');
  return c.json({ ok: true });
});
routes.get('/greet', async (c) => {
  await ctxOf(c).db.sql`insert into greetings (text) values (${c.req.query('text') ?? 'hi'})`;
  return c.json(await ctxOf(c).db.sql`select text from greetings order by id`);
});

export default definePlugin({
  routes,
  jobs: { greet: { handler: async (data: { text: string }, ctx) => void (await ctx.db.sql`insert into greetings (text) values (${data.text})`) } },
  fragments: { 'home.card': { title: 'Hello', render: async (ctx) => `<p id="p-hello-card">Hello from ${ctx.household.name.replace(/[<&>"']/g, '')}</p>` } },
});
