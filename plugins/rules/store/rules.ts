// The rules table, through the household-bound ctx.db: list in run order, read, create, update,
// delete. Input is validated with the rule language's schema (engine/schema.ts) before it is stored,
// so a malformed condition is refused with a message naming it.
import { badRequest, notFound, type PluginSql } from '../../../plugin-sdk/index.ts';
import { RuleInputSchema, type Rule, type RuleInput } from '../engine/schema.ts';
import { referenceIssues } from './references.ts';

export type StoredRule = Rule & {
  firedCount: number;
  lastFiredAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export const STAGES = ['pre', 'default', 'post'] as const;
export type Stage = (typeof STAGES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

const iso = (v: unknown) => (v == null ? null : (v instanceof Date ? v : new Date(String(v))).toISOString());

/** jsonb arrives parsed in-process and may arrive as text across the sandbox boundary. */
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

const columns = (sql: PluginSql) => sql`id, name, stage, position, match, conditions, actions, enabled,
  fired_count::int as fired_count, last_fired_at, created_at, updated_at`;

function toRule(r: Record<string, unknown>): StoredRule {
  return {
    id: r.id as string,
    name: r.name as string,
    stage: r.stage as Stage,
    position: r.position as number,
    match: r.match as 'all' | 'any',
    conditions: json(r.conditions),
    actions: json(r.actions),
    enabled: r.enabled as boolean,
    firedCount: r.fired_count as number,
    lastFiredAt: iso(r.last_fired_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

/** Every rule of the household, in run order (stage, then position). */
export async function listRules(sql: PluginSql, opts: { enabledOnly?: boolean; ids?: string[] } = {}): Promise<StoredRule[]> {
  const rows = await sql`select ${columns(sql)} from rules
    where ${opts.enabledOnly ? sql`enabled` : sql`true`}
      and ${opts.ids ? sql`id = any(${opts.ids}::uuid[])` : sql`true`}
    order by case stage when 'pre' then 0 when 'default' then 1 else 2 end, position, created_at`;
  return rows.map(toRule);
}

export async function getRule(sql: PluginSql, id: string): Promise<StoredRule> {
  if (!isUuid(id)) throw notFound('no such rule');
  const [row] = await sql`select ${columns(sql)} from rules where id = ${id}`;
  if (!row) throw notFound('no such rule');
  return toRule(row);
}

/** Validates like the API does and turns issues into one 400 message naming each problem. */
export function parseRule(input: unknown): RuleInput {
  const r = RuleInputSchema.safeParse(input);
  if (r.success) return r.data;
  throw badRequest(r.error.issues.map((i) => (i.message.startsWith('conditions[') ? i.message : `${i.path.join('.') || 'rule'}: ${i.message}`)).join('; '));
}

/** parseRule, then the accounts and categories it names must exist in the household. */
async function checkedRule(sql: PluginSql, input: unknown): Promise<RuleInput> {
  const r = parseRule(input);
  const issues = await referenceIssues(sql, r);
  if (issues.length) throw badRequest(issues.map((i) => i.message).join('; '));
  return r;
}

export async function createRule(sql: PluginSql, input: RuleInput): Promise<StoredRule> {
  const r = await checkedRule(sql, input);
  const [row] = await sql`insert into rules (name, stage, position, match, conditions, actions, enabled)
    values (${r.name}, ${r.stage},
      (select coalesce(max(position) + 1, 0) from rules where stage = ${r.stage}),
      ${r.match}, ${JSON.stringify(r.conditions)}::text::jsonb, ${JSON.stringify(r.actions)}::text::jsonb, ${r.enabled})
    returning ${columns(sql)}`;
  return toRule(row);
}

/** Replaces a rule's definition. A new stage puts it last in that stage. */
export async function updateRule(sql: PluginSql, id: string, input: RuleInput): Promise<StoredRule> {
  const current = await getRule(sql, id);
  const r = await checkedRule(sql, input);
  const position = r.stage === current.stage ? sql`position` : sql`(select coalesce(max(position) + 1, 0) from rules where stage = ${r.stage})`;
  const [row] = await sql`update rules set name = ${r.name}, stage = ${r.stage}, position = ${position}, match = ${r.match},
      conditions = ${JSON.stringify(r.conditions)}::text::jsonb, actions = ${JSON.stringify(r.actions)}::text::jsonb,
      enabled = ${r.enabled}, updated_at = now()
    where id = ${id}
    returning ${columns(sql)}`;
  return toRule(row);
}

export async function setEnabled(sql: PluginSql, id: string, enabled: boolean): Promise<StoredRule> {
  await getRule(sql, id);
  const [row] = await sql`update rules set enabled = ${enabled}, updated_at = now() where id = ${id} returning ${columns(sql)}`;
  return toRule(row);
}

export async function deleteRule(sql: PluginSql, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound('no such rule');
  const gone = await sql`delete from rules where id = ${id} returning id`;
  if (!gone.length) throw notFound('no such rule');
}

/** The editable part of a stored rule, as the API and the form take it. */
export const inputOf = (r: StoredRule): RuleInput => ({
  name: r.name, stage: r.stage, match: r.match, enabled: r.enabled, conditions: r.conditions, actions: r.actions,
});
