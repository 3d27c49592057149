-- One budget per category (or group), currency and period in a household. Two budgets on the same
-- category for the same first month, quarter or year, or the same custom span, both count the same
-- spending: the page and the summary counted it twice and alerts fired twice. store.ts refuses such
-- a budget with a 409 naming the existing one; this index makes two concurrent saves unable to both
-- land (the loser's unique violation, 23505, becomes the same 409). Overlapping but different
-- periods (a monthly and an annual budget on one category) stay allowed.
--
-- The period columns a type does not use are null (budgets_period), so with `nulls not distinct` a
-- monthly budget compares (year, month) and a custom one (start_date, end_date). The currency is
-- part of the key: only transactions in a budget's currency count, so an EUR and a USD budget on one
-- category and period count different spending.

alter table budgets add column legacy_duplicate boolean not null default false;

-- Duplicates saved before this file are kept, nothing deleted or merged (amounts, names, alerts are the household's), but all except the oldest of each are marked legacy_duplicate and left out of the index (store.ts clears the mark when one is moved to another category or period).
-- Row-level security hides every household from a migration (it is forced on the owner too): lifted
-- for this transaction only, to see the duplicates of all households.
alter table budgets no force row level security;
update budgets b set legacy_duplicate = true
from (
  select household_id, id,
    row_number() over (partition by household_id, category_id, currency, period_type, year, month, quarter, start_date, end_date
                       order by created_at, id) as n
  from budgets
) d
where d.household_id = b.household_id and d.id = b.id and d.n > 1;
alter table budgets force row level security;

create unique index budgets_one_per_period
  on budgets (household_id, category_id, currency, period_type, year, month, quarter, start_date, end_date) nulls not distinct
  where not legacy_duplicate;
