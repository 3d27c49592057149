-- Kernel schema: users, households, memberships, invites, sessions, tokens, login attempts,
-- and the household binding that row-level security checks.

-- The binding key signs "which household and user this transaction acts for". Only the owner can
-- read it; the app role can only present a signed binding, never forge one.
create table kernel.binding_key (
  id int primary key default 1 check (id = 1),
  key bytea not null,
  ipad bytea not null,
  opad bytea not null
);
do $$
declare
  -- 32 random bytes from two v4 UUIDs (gen_random_uuid is built in; pgcrypto is not needed).
  k bytea := decode(replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''), 'hex');
  padded bytea;
  ip bytea;
  op bytea;
begin
  padded := k || decode(repeat('00', 32), 'hex');
  ip := padded;
  op := padded;
  for i in 0..63 loop
    ip := set_byte(ip, i, get_byte(padded, i) # 54);  -- 0x36
    op := set_byte(op, i, get_byte(padded, i) # 92);  -- 0x5c
  end loop;
  insert into kernel.binding_key (key, ipad, opad) values (k, ip, op);
end $$;
revoke all on kernel.binding_key from public;

-- Returns {household, user, xid, sig} when mff.binding carries a valid HMAC for this very
-- transaction, else null. A binding copied from another transaction or typed by hand is worthless.
create function kernel.verified_binding() returns text[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  b text := current_setting('mff.binding', true);
  p text[];
  k record;
begin
  if b is null or b = '' then return null; end if;
  p := string_to_array(b, '.');
  if cardinality(p) <> 4 or p[3] is distinct from txid_current_if_assigned()::text then return null; end if;
  select ipad, opad into k from kernel.binding_key where id = 1;
  if encode(sha256(k.opad || sha256(k.ipad || convert_to(p[1] || '.' || p[2] || '.' || p[3], 'UTF8'))), 'hex') <> p[4] then
    return null;
  end if;
  return p;
end $$;

create function kernel.current_household() returns uuid
language sql stable as $$ select nullif((kernel.verified_binding())[1], '')::uuid $$;

create function kernel.current_user_id() returns uuid
language sql stable as $$ select nullif((kernel.verified_binding())[2], '')::uuid $$;

grant usage on schema kernel to public;
grant execute on function kernel.verified_binding(), kernel.current_household(), kernel.current_user_id() to public;

create table kernel.users (
  id uuid primary key default gen_random_uuid(),
  email text not null check (email = lower(email) and length(email) <= 254),
  name text not null check (length(name) between 1 and 100),
  password_hash text not null,
  is_admin boolean not null default false,
  default_household_id uuid,
  created_at timestamptz not null default now()
);
create unique index users_email on kernel.users (email);

create table kernel.households (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 100),
  base_currency char(3) not null check (base_currency ~ '^[A-Z]{3}$'),
  time_zone text not null,
  created_at timestamptz not null default now()
);

create table kernel.memberships (
  household_id uuid not null references kernel.households on delete cascade,
  user_id uuid not null references kernel.users on delete cascade,
  role text not null check (role in ('owner', 'member', 'viewer')),
  created_at timestamptz not null default now(),
  primary key (household_id, user_id)
);
create index memberships_user on kernel.memberships (user_id);

create table kernel.invites (
  household_id uuid not null references kernel.households on delete cascade,
  id uuid not null default gen_random_uuid(),
  token_hash text not null unique,
  role text not null check (role in ('owner', 'member', 'viewer')),
  created_by uuid not null references kernel.users on delete cascade,
  expires_at timestamptz not null,
  accepted_by uuid references kernel.users on delete set null,
  accepted_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (household_id, id)
);

-- Household rows: visible for the bound household, or to a user for the households they belong to.
alter table kernel.households enable row level security;
alter table kernel.households force row level security;
create policy household_access on kernel.households
  using (id = (select kernel.current_household())
         or id in (select m.household_id from kernel.memberships m where m.user_id = (select kernel.current_user_id())))
  with check (id = (select kernel.current_household()));

alter table kernel.memberships enable row level security;
alter table kernel.memberships force row level security;
create policy membership_access on kernel.memberships
  using (household_id = (select kernel.current_household()) or user_id = (select kernel.current_user_id()))
  with check (household_id = (select kernel.current_household()));

alter table kernel.invites enable row level security;
alter table kernel.invites force row level security;
create policy household_isolation on kernel.invites
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

-- Accepting an invite starts from its secret token alone, before any household is bound.
create function kernel.invite_by_token_hash(hash text)
returns table (household_id uuid, id uuid, role text, expires_at timestamptz, accepted_at timestamptz, revoked_at timestamptz)
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select household_id, id, role, expires_at, accepted_at, revoked_at from kernel.invites where token_hash = hash
$$;
revoke all on function kernel.invite_by_token_hash(text) from public;

-- Browser sessions: rotating refresh tokens in families. Reusing a spent token revokes the family.
create table kernel.refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  family_id uuid not null,
  user_id uuid not null references kernel.users on delete cascade,
  token_hash text not null unique,
  selected_household uuid,
  used_at timestamptz,
  revoked_at timestamptz,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index refresh_tokens_family on kernel.refresh_tokens (family_id);

create table kernel.personal_access_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references kernel.users on delete cascade,
  name text not null check (length(name) between 1 and 100),
  token_hash text not null unique,
  prefix text not null,
  scopes text[] not null check (scopes <@ array['read', 'write'] and cardinality(scopes) > 0),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index personal_access_tokens_user on kernel.personal_access_tokens (user_id);

create table kernel.login_attempts (
  id bigint generated always as identity primary key,
  email text not null,
  ip text not null,
  succeeded boolean not null,
  at timestamptz not null default now()
);
create index login_attempts_email on kernel.login_attempts (email, at);
create index login_attempts_ip on kernel.login_attempts (ip, at);

grant select, insert, update, delete on kernel.users, kernel.households, kernel.memberships, kernel.invites,
  kernel.refresh_tokens, kernel.personal_access_tokens, kernel.login_attempts to mff_app;
grant execute on function kernel.invite_by_token_hash(text) to mff_app;
