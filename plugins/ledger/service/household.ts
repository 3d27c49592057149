// SQL fragments about the bound household that several service files need.
import type { Tx } from './tx.ts';

/** The bound household's id, evaluated once per statement. */
export const householdId = (tx: Tx) => tx`(select kernel.current_household())`;

/** The household's time zone: "today" and balance dates are the household's, not the server's. */
export const householdTimeZone = (tx: Tx) =>
  tx`(select time_zone from kernel.households where id = (select kernel.current_household()))`;

export const householdToday = (tx: Tx) => tx`(now() at time zone ${householdTimeZone(tx)})::date`;
