// A well-behaved plugin: the baseline the hostile fixtures are compared against.
import { ctxOf, definePlugin, router } from '../../../../../plugin-sdk/index.ts';

const routes = router();
routes.get('/hello', async (c) => c.html(await ctxOf(c).render('hello', { name: c.req.query('name') ?? 'world' })));
routes.get('/secret', async (c) => c.text(String(await ctxOf(c).secrets.get('token'))));
routes.get('/who', (c) => c.json({ household: ctxOf(c).household.id, user: ctxOf(c).user?.id ?? null }));

export default definePlugin({
  routes,
  fragments: { 'home.card': { title: 'Hello', render: async (ctx) => `<p id="p-hello-card">Hello from ${ctx.household.name}</p>` } },
});
