// The 20 budgets of the budgets benchmark, for the month BENCH_MONTH of the rules-data.ts household:
// what a household that budgets seriously keeps (monthly on categories and groups, some with
// rollover; quarterly and annual ones on groups; two custom spans).
import type { BudgetInputT } from '../plugins/budgets/schemas.ts';

/** The last month of the benchmark's data (rules-data.ts: five years ending 2025-12-31): "this month". */
export const BENCH_MONTH = '2025-12';

/** `categories` maps "Group › Category" and "Group" names to ids (rules-data.ts's bigHousehold). */
export function makeBudgets(categories: Map<string, string>): BudgetInputT[] {
  const id = (name: string) => {
    const v = categories.get(name);
    if (!v) throw new Error(`no category ${name}`);
    return v;
  };
  const monthly = (name: string, amount: string, rollover = false): BudgetInputT =>
    ({ categoryId: id(name), amount, periodType: 'monthly', year: 2025, month: 7, rollover });
  return [
    monthly('Food & Drink › Groceries', '600'),
    monthly('Food & Drink › Coffee', '60'),
    monthly('Food & Drink › Restaurants', '250', true),
    monthly('Food & Drink › Fast Food', '80'),
    monthly('Transportation › Gas & Fuel', '150'),
    monthly('Transportation › Parking', '40'),
    monthly('Transportation › Taxis & Ride Shares', '90', true),
    monthly('Medical › Pharmacy & Supplements', '50'),
    monthly('Rent & Utilities › Gas & Electricity', '120'),
    monthly('Rent & Utilities › Internet & Cable', '70'),
    monthly('Food & Drink', '1000', true),
    monthly('Transportation', '400'),
    monthly('Shopping', '300', true),
    monthly('Entertainment', '120'),
    { categoryId: id('Travel'), amount: '1500', periodType: 'quarterly', year: 2025, quarter: 1, rollover: true },
    { categoryId: id('Medical'), amount: '300', periodType: 'quarterly', year: 2025, quarter: 3, rollover: false },
    { categoryId: id('Home Improvement'), amount: '2000', periodType: 'annual', year: 2025, rollover: false },
    { categoryId: id('Personal Care'), amount: '900', periodType: 'annual', year: 2024, rollover: true },
    { categoryId: id('Shopping › Electronics'), amount: '500', periodType: 'custom', startDate: '2025-11-15', endDate: '2025-12-14', rollover: false },
    { categoryId: id('Travel › Lodging'), amount: '1200', periodType: 'custom', startDate: '2025-12-01', endDate: '2026-02-28', rollover: false },
  ];
}
