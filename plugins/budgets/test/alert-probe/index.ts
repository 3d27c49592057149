// Test fixture: a subscriber to the budgets plugin's alert event. In-process, this module instance
// is the one the test imports, so the test reads what arrived.
import { definePlugin } from '../../../../plugin-sdk/index.ts';

export const received: { household: string; payload: Record<string, unknown> }[] = [];

export default definePlugin({
  events: {
    'budgets.threshold-crossed': async (event, ctx) => {
      received.push({ household: ctx.household.id, payload: event.payload as Record<string, unknown> });
    },
  },
});
