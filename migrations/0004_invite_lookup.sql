-- Accepting an invite starts from its secret token alone, before any household is bound:
-- kernel.invite_by_token_hash (0001) is security definer, so it runs as the owner role, which forced
-- row-level security otherwise confines like everyone else. This lets the owner role, and so only
-- that function among what the app role can call, read invites across households. The app role is
-- a member of no role, so it cannot use this policy directly.
create policy owner_finds_invites on kernel.invites for select to mff_owner using (true);
