// The plugin's pages under /p/savings-goals/: the list with a form to add a goal, and deposits,
// which htmx posts inline (the row swaps itself) and which also work as plain form posts.
import { ctxOf, router, type PluginContext } from '../../plugin-sdk/index.ts';
import { createGoal, deleteGoal, deposit, getGoal, listGoals } from './goals.ts';
import { DepositInput, GoalInput } from './schemas.ts';

type Form = Record<string, string>;

async function form(req: Request): Promise<Form> {
  const data = new URLSearchParams(await req.text());
  return Object.fromEntries([...data].filter(([k]) => k !== '_csrf'));
}

function errorsOf(issues: { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) out[String(i.path[0] ?? 'form')] ??= i.message;
  return out;
}

async function indexPage(ctx: PluginContext, values: Form = {}, errors: Record<string, string> = {}) {
  const settings = await ctx.settings.get<{ showCompleted: boolean }>();
  const goals = await listGoals(ctx, { includeReached: settings.showCompleted });
  return ctx.render('index', { goals, values, errors });
}

const isHtmx = (req: Request) => req.headers.get('hx-request') === 'true';

export const routes = router();

routes.get('/', async (c) => {
  const ctx = ctxOf(c);
  return c.html(await indexPage(ctx), 200, { 'x-mff-title': 'Savings goals' });
});

routes.post('/goals', async (c) => {
  const ctx = ctxOf(c);
  const values = await form(c.req.raw);
  const parsed = GoalInput.safeParse({ name: values.name, target: values.target, currency: values.currency || undefined, targetDate: values.targetDate || null });
  if (!parsed.success) return c.html(await indexPage(ctx, values, errorsOf(parsed.error.issues)), 422, { 'x-mff-title': 'Savings goals' });
  await createGoal(ctx, parsed.data);
  return c.redirect(ctx.url('/'), 303);
});

routes.post('/goals/:id/deposit', async (c) => {
  const ctx = ctxOf(c);
  const parsed = DepositInput.safeParse(await form(c.req.raw));
  const id = c.req.param('id');
  if (!parsed.success) {
    const goal = await getGoal(ctx, id);
    if (!goal) return c.notFound();
    return c.html(await ctx.render('goal', { goal, error: errorsOf(parsed.error.issues).amount }), 422);
  }
  const result = await deposit(ctx, id, parsed.data.amount);
  if (!result) return c.notFound();
  if (result.justReached) await ctx.events.emit('savings-goals.goal-reached', { goalId: id, name: result.goal.name });
  const celebrate = result.justReached ? (await ctx.settings.get<{ celebrate: string }>()).celebrate : null;
  if (isHtmx(c.req.raw)) return c.html(await ctx.render('goal', { goal: result.goal, celebrate }));
  return c.redirect(ctx.url('/'), 303);
});

routes.post('/goals/:id/delete', async (c) => {
  const ctx = ctxOf(c);
  if (!(await deleteGoal(ctx, c.req.param('id')))) return c.notFound();
  if (isHtmx(c.req.raw)) return c.body(null, 200);
  return c.redirect(ctx.url('/'), 303);
});
