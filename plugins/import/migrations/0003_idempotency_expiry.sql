-- Idempotency keys expire after 24 hours (plugin-sdk/idempotency.ts): each stored answer deletes a
-- bounded number of the household's expired keys, oldest first. This index finds them without
-- reading the household's live keys, so that clean-up costs the same however many keys are live.
create index idempotency_keys_expiry on idempotency_keys (household_id, created_at);
