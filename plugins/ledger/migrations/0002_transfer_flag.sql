-- Transfers between the household's own accounts (a card payment, a move to savings) are neither
-- income nor spending. The flag is set by the user or by a rule's "mark as transfer" action (the
-- rules plugin); budgets and reports leave flagged transactions out. It is independent of the
-- category, so a transfer can still carry one (and a category of kind 'transfer' also counts as one).
-- Added by the rules/budgets work (issue 5) as its own file so 0001 stays untouched.
alter table transactions add column is_transfer boolean not null default false;
