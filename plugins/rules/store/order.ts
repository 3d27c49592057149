// Rule order inside a stage: move one rule up or down (swap with its neighbour), or set a stage's
// whole order at once. Positions are unique per stage (deferred, so swaps happen in one transaction).
import { badRequest, notFound, type PluginDb } from '../../../plugin-sdk/index.ts';
import { getRule, listRules, type Stage, type StoredRule } from './rules.ts';

/** Swaps the rule with the one before (up) or after (down) it in its stage. At an end: no change. */
export async function moveRule(db: PluginDb, id: string, direction: 'up' | 'down'): Promise<StoredRule> {
  return db.tx(async (sql) => {
    const rule = await getRule(sql, id);
    // Lock the stage's rules so two concurrent moves cannot interleave.
    await sql`select id from rules where stage = ${rule.stage} order by position for update`;
    const [neighbour] = direction === 'up'
      ? await sql`select id, position from rules where stage = ${rule.stage} and position < ${rule.position} order by position desc limit 1`
      : await sql`select id, position from rules where stage = ${rule.stage} and position > ${rule.position} order by position limit 1`;
    if (!neighbour) return rule;
    await sql`update rules set position = case when id = ${rule.id}::uuid then ${neighbour.position as number}::int else ${rule.position}::int end,
      updated_at = now() where id in (${rule.id}::uuid, ${neighbour.id as string}::uuid)`;
    return getRule(sql, id);
  });
}

/** Sets the order of a stage: `ids` must be exactly that stage's rules, first to last. */
export async function reorderStage(db: PluginDb, stage: Stage, ids: string[]): Promise<StoredRule[]> {
  return db.tx(async (sql) => {
    const current = (await sql`select id from rules where stage = ${stage} for update`).map((r) => r.id as string);
    const given = new Set(ids);
    if (given.size !== ids.length) throw badRequest('ids: a rule is listed twice');
    const missing = current.filter((id) => !given.has(id));
    const unknown = ids.filter((id) => !current.includes(id));
    if (unknown.length) throw notFound(`no rule ${unknown.join(', ')} in stage ${stage}`);
    if (missing.length) throw badRequest(`ids: the stage's order must list all its rules; missing ${missing.join(', ')}`);
    await sql`update rules r set position = o.n - 1, updated_at = now()
      from unnest(${ids}::uuid[]) with ordinality as o(id, n) where r.id = o.id`;
    return listRules(sql);
  });
}
