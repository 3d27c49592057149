// Deleting a household (owners, after typing its name). First every active plugin's
// onHouseholdDeleted hook runs in the household's context (to release outside resources: an API
// account, a webhook); then one transaction bound to the household deletes every household-owned
// row and the household itself.
//
// Why explicit deletes per table and not only FK cascade from kernel.households: first-party
// plugins declare `references kernel.households on delete cascade`, but a sandboxed plugin's
// migrations run as its own database role, which has no REFERENCES right on kernel tables, so its
// tables (savings goals...) cannot cascade. The kernel instead finds every table outside its own
// schema that has a household_id column (the instance's ownership convention, which
// db/rls-audit.ts already requires to have forced row-level security) and deletes this
// household's rows, referencing tables before the tables they reference. It runs as the app role
// under the household's binding, so PostgreSQL itself limits each delete to this household's rows,
// whatever the catalog lists. A sandboxed plugin's tables are not the app role's: their triggers
// are the plugin's code, which must never run with the app role's rights (it could read
// kernel.users); the plugin host deletes those rows as the plugin's own role, before this
// (host.ts householdDeleting). Kernel rows (memberships, invites, plugin settings and secrets, job
// progress) go by cascade with the kernel.households row, last.
import type { Tx } from '../db/household-binding.ts';
import { Problem } from '../http/problem.ts';
import type { Kernel } from '../kernel.ts';
import { asMember, lockHousehold, readHousehold, requireOwner } from './service.ts';

type Table = { oid: number; name: string };

/**
 * Household-owned tables outside the kernel schema that the current role may delete from (only
 * `schema`'s when given), referencing tables before referenced ones.
 */
async function householdTables(tx: Tx, schema?: string): Promise<string[]> {
  const tables = await tx<Table[]>`
    select c.oid::int as oid, c.oid::regclass::text as name
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'household_id' and not a.attisdropped
    where c.relkind in ('r', 'p') and not c.relispartition
      and n.nspname <> 'kernel' and n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'
      and (${schema ?? null}::text is null or n.nspname = ${schema ?? null}::text)
      and has_table_privilege(c.oid, 'DELETE')
    order by n.nspname, c.relname`;
  const edges = await tx<{ child: number; parent: number }[]>`
    select conrelid::int as child, confrelid::int as parent from pg_constraint
    where contype = 'f' and conrelid <> confrelid`;
  const left = new Map(tables.map((t) => [t.oid, t.name]));
  const order: string[] = [];
  while (left.size) {
    // A table nothing left references can go now; a cycle (none today) goes in catalog order.
    const free = [...left.keys()].filter((oid) => !edges.some((e) => e.parent === oid && e.child !== oid && left.has(e.child)));
    for (const oid of free.length ? free : [left.keys().next().value!]) {
      order.push(left.get(oid)!);
      left.delete(oid);
    }
  }
  return order;
}

/**
 * Deletes the household's rows from every table the transaction's role may delete from (only
 * `schema`'s when given). `tx` is bound to the household: row-level security limits each delete.
 */
export async function deleteHouseholdRows(tx: Tx, householdId: string, schema?: string): Promise<void> {
  const tables = await householdTables(tx, schema);
  for (const table of tables) await tx.unsafe(`delete from ${table} where household_id = $1`, [householdId]);
  // Statement triggers (e.g. running totals) may have written rows back while their source went.
  for (const table of tables) await tx.unsafe(`delete from ${table} where household_id = $1`, [householdId]);
}

export async function deleteHousehold(k: Kernel, userId: string, householdId: string, confirmation: string): Promise<void> {
  await asMember(k, userId, householdId, async (tx, role) => {
    requireOwner(role, 'delete it');
    const { name } = await readHousehold(tx, householdId, role);
    if (confirmation.trim() !== name) {
      throw new Problem(422, 'Unprocessable Content', `To delete this household, type its name exactly as shown: ${name}`, {
        errors: [{ field: 'confirm', message: 'does not match the household name' }],
      });
    }
  });
  await k.plugins?.householdDeleting(householdId);
  await k.db.withHousehold({ householdId, userId }, async (tx) => {
    // Once more under the lock: an owner demoted meanwhile deletes nothing.
    requireOwner(await lockHousehold(tx, householdId, userId), 'delete it');
    await deleteHouseholdRows(tx, householdId);
    await tx`delete from kernel.households where id = ${householdId}`;
  });
  k.log.info('household deleted', { householdId, userId });
}
