-- Instance-wide plugin settings: what the instance admin sets once for a plugin (e.g. an API's client
-- id and secret), as declared by the manifest's `instanceSettings`. Not household data, so no
-- household_id and no row-level security: only the kernel reads it (admin pages, and the
-- ctx.instanceSettings capability for the plugin itself; a sandboxed plugin's role has no grant).
create table kernel.plugin_instance_settings (
  plugin_id text primary key check (plugin_id ~ '^[a-z][a-z0-9-]*$'),
  -- Plain fields, as validated against the schema.
  "values" jsonb not null default '{}',
  -- Secret fields (writeOnly in the schema): name → sealed with AES-256-GCM by core/secrets.ts.
  sealed jsonb not null default '{}',
  updated_by uuid references kernel.users on delete set null,
  updated_at timestamptz not null default now()
);

grant select, insert, update on kernel.plugin_instance_settings to mff_app;
