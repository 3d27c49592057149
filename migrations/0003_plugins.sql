-- Plugin registry: what the instance admin approved for each plugin, per-household plugin settings
-- and plugin secrets (sealed with AES-256-GCM by core/secrets.ts; the database never sees plaintext).

-- One row per plugin the instance has seen. A plugin runs only while enabled and while the
-- permissions its current manifest asks for are covered by approved_permissions.
create table kernel.plugins (
  id text primary key check (id ~ '^[a-z][a-z0-9-]*$'),
  version text not null,
  mode text not null check (mode in ('in-process', 'sandboxed')),
  enabled boolean not null default false,
  -- Permissions the current manifest asks for (shown to the admin) and those the admin approved.
  requested_permissions jsonb not null,
  approved_permissions jsonb,
  approved_version text,
  approved_by uuid references kernel.users on delete set null,
  approved_at timestamptz,
  -- 'config' when approved automatically (first-party, in-process, listed in mff.config.ts).
  approved_via text check (approved_via in ('admin', 'config')),
  first_seen_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table kernel.plugin_settings (
  household_id uuid not null references kernel.households on delete cascade,
  plugin_id text not null,
  "values" jsonb not null default '{}',
  updated_by uuid references kernel.users on delete set null,
  updated_at timestamptz not null default now(),
  primary key (household_id, plugin_id)
);
alter table kernel.plugin_settings enable row level security;
alter table kernel.plugin_settings force row level security;
create policy household_isolation on kernel.plugin_settings
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

create table kernel.plugin_secrets (
  household_id uuid not null references kernel.households on delete cascade,
  plugin_id text not null,
  name text not null,
  sealed text not null,
  updated_at timestamptz not null default now(),
  primary key (household_id, plugin_id, name)
);
alter table kernel.plugin_secrets enable row level security;
alter table kernel.plugin_secrets force row level security;
create policy household_isolation on kernel.plugin_secrets
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

grant select, insert, update on kernel.plugins to mff_app;
grant select, insert, update, delete on kernel.plugin_settings, kernel.plugin_secrets to mff_app;
