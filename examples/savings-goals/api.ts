// JSON API under /api/v1/savings-goals/: validated by the kernel with these zod schemas and listed
// in the instance's OpenAPI document.
import { notFound, z, type PluginApiRoute } from '../../plugin-sdk/index.ts';
import { createGoal, deposit, listGoals } from './goals.ts';
import { DepositInput, GoalId, GoalInput, GoalOut } from './schemas.ts';

export const api: PluginApiRoute[] = [
  {
    method: 'get',
    path: '/goals',
    summary: "The household's savings goals with their progress",
    response: z.object({ goals: z.array(GoalOut) }),
    handler: async ({ ctx }) => ({ goals: await listGoals(ctx) }),
  },
  {
    method: 'post',
    path: '/goals',
    summary: 'Create a savings goal (currency defaults to the household currency)',
    body: GoalInput,
    response: GoalOut,
    handler: async ({ body, ctx }) => createGoal(ctx, body),
  },
  {
    method: 'post',
    path: '/goals/:id/deposits',
    summary: 'Record a deposit towards a goal',
    params: GoalId,
    body: DepositInput,
    response: GoalOut,
    status: 200,
    handler: async ({ params, body, ctx }) => {
      const result = await deposit(ctx, params.id, body.amount);
      if (!result) throw notFound('no such goal in this household');
      if (result.justReached) await ctx.events.emit('savings-goals.goal-reached', { goalId: params.id, name: result.goal.name });
      return result.goal;
    },
  },
];
