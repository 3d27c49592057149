// Benchmark plugin (the same code twice, one copy per mode): a home card of 20 rows from an eta view.
import { definePlugin } from '../../../plugin-sdk/index.ts';

const rows = Array.from({ length: 20 }, (_, i) => ({ name: `Goal <${i}>`, saved: (i * 123.45).toFixed(2), target: '5000.00' }));

export default definePlugin({
  fragments: { 'home.card': { title: 'Savings', render: (ctx) => ctx.render('card', { rows, household: ctx.household.name }) } },
});
