// The imports table: one row per uploaded file, from upload to result (see migrations/0001).
// Row-level security keeps each household to its own rows: another household's id reads as absent.
import type { PluginSql } from '../../../plugin-sdk/index.ts';
import type { CsvMapping } from '../parsers/index.ts';
import type { Preview } from '../plan/preview.ts';
import type { TargetChoice } from '../plan/targets.ts';
import type { ImportResult } from '../run/result.ts';

export type ImportStatus = 'mapping' | 'ready' | 'queued' | 'running' | 'done' | 'failed';

export type ImportRecord = {
  id: string;
  createdAt: string;
  expiresAt: string;
  filename: string;
  size: number;
  sha256: string;
  format: 'ofx' | 'qfx' | 'qif' | 'csv';
  encoding: string;
  csvMapping: CsvMapping | null;
  requestedAccountId: string | null;
  targets: TargetChoice[] | null;
  status: ImportStatus;
  preview: Preview | null;
  forcedLines: number[];
  jobId: string | null;
  total: number | null;
  done: number;
  result: ImportResult | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Whether the uploaded file is still kept. */
  hasFile: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

const iso = (v: unknown) => (v == null ? null : (v instanceof Date ? v : new Date(String(v))).toISOString());
const json = <T>(v: unknown): T | null => (v == null ? null : typeof v === 'string' ? JSON.parse(v) : v) as T | null;

const columns = (sql: PluginSql) => sql`id, created_at, expires_at, filename, size, sha256, format, encoding, csv_mapping,
  requested_account_id, targets, status, preview, forced_lines, job_id, total, done, result, error, started_at, finished_at,
  content is not null as has_file`;

function toRecord(r: Record<string, unknown>): ImportRecord {
  return {
    id: r.id as string,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at)!,
    filename: r.filename as string,
    size: Number(r.size),
    sha256: r.sha256 as string,
    format: r.format as ImportRecord['format'],
    encoding: r.encoding as string,
    csvMapping: json<CsvMapping>(r.csv_mapping),
    requestedAccountId: (r.requested_account_id as string | null) ?? null,
    targets: json<TargetChoice[]>(r.targets),
    status: r.status as ImportStatus,
    preview: json<Preview>(r.preview),
    forcedLines: ((r.forced_lines as number[] | null) ?? []).map(Number),
    jobId: (r.job_id as string | null) ?? null,
    total: r.total == null ? null : Number(r.total),
    done: Number(r.done ?? 0),
    result: json<ImportResult>(r.result),
    error: (r.error as string | null) ?? null,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    hasFile: Boolean(r.has_file),
  };
}

const asJson = (v: unknown) => (v == null ? null : JSON.stringify(v));

export type NewImport = {
  filename: string; content: Uint8Array; sha256: string; format: ImportRecord['format']; encoding: string;
  requestedAccountId: string | null; createdBy: string | null; keepHours: number;
};

export async function createImport(sql: PluginSql, n: NewImport): Promise<string> {
  const [row] = await sql`insert into imports (created_by, filename, size, sha256, content, format, encoding, requested_account_id, status, expires_at)
    values (${n.createdBy}::uuid, ${n.filename}, ${n.content.byteLength}, ${n.sha256}, ${n.content}, ${n.format}, ${n.encoding},
      ${n.requestedAccountId}::uuid, ${n.format === 'csv' ? 'mapping' : 'ready'}, now() + make_interval(hours => ${n.keepHours}))
    returning id`;
  return row.id as string;
}

export async function getImport(sql: PluginSql, id: string): Promise<ImportRecord | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql`select ${columns(sql)} from imports where id = ${id}`;
  return row ? toRecord(row) : null;
}

export async function getFile(sql: PluginSql, id: string): Promise<Uint8Array | null> {
  const [row] = await sql`select content from imports where id = ${id}`;
  return (row?.content as Uint8Array | null) ?? null;
}

export async function listImports(sql: PluginSql, limit = 20): Promise<ImportRecord[]> {
  return (await sql`select ${columns(sql)} from imports order by created_at desc, id limit ${limit}`).map(toRecord);
}

/** The mapping (CSV), targets and preview computed from them; the import is then ready to confirm. */
export async function savePreview(sql: PluginSql, id: string, p: { csvMapping: CsvMapping | null; targets: TargetChoice[]; preview: Preview; forcedLines: number[] }): Promise<void> {
  await sql`update imports set csv_mapping = ${asJson(p.csvMapping)}::text::jsonb, targets = ${asJson(p.targets)}::text::jsonb,
      preview = ${asJson(p.preview)}::text::jsonb, forced_lines = ${p.forcedLines}::int[], status = 'ready', error = null, updated_at = now()
    where id = ${id} and status in ('mapping', 'ready')`;
}

/** A CSV mapping that does not fit the file: the import stays at the mapping step, with the reason. */
export async function saveMappingProblem(sql: PluginSql, id: string, csvMapping: CsvMapping, error: string): Promise<void> {
  await sql`update imports set csv_mapping = ${asJson(csvMapping)}::text::jsonb, status = 'mapping', preview = null,
      error = ${error.slice(0, 4000)}, updated_at = now()
    where id = ${id} and status in ('mapping', 'ready')`;
}

/** ready → queued, once: a second confirmation (double click, retry) finds nothing to move. */
export async function markQueued(sql: PluginSql, id: string, targets: TargetChoice[]): Promise<boolean> {
  const rows = await sql`update imports set status = 'queued', targets = ${asJson(targets)}::text::jsonb, updated_at = now()
    where id = ${id} and status = 'ready' returning id`;
  return rows.length === 1;
}

export async function setJob(sql: PluginSql, id: string, jobId: string | null): Promise<void> {
  await sql`update imports set job_id = ${jobId}, updated_at = now() where id = ${id}`;
}

/** Ledger accounts that a queued or running import (other than `id`) is writing to. */
export async function busyAccounts(sql: PluginSql, id: string): Promise<Set<string>> {
  const rows = await sql`select t->>'accountId' as account_id from imports, jsonb_array_elements(targets) t
    where status in ('queued', 'running') and id <> ${id} and t ? 'accountId'`;
  return new Set(rows.map((r) => r.account_id as string));
}

/** Where the last completed import of the same file went (to default a re-import there). */
export async function previousTargets(sql: PluginSql, sha256: string, id: string): Promise<TargetChoice[] | null> {
  const [row] = await sql`select targets from imports where sha256 = ${sha256} and id <> ${id} and status = 'done'
    order by created_at desc limit 1`;
  return row ? json<TargetChoice[]>(row.targets) : null;
}

export async function discardImport(sql: PluginSql, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await sql`delete from imports where id = ${id} and status in ('mapping', 'ready', 'failed') returning id`;
  return rows.length === 1;
}

/** Uploads never confirmed, past their expiry; and files of finished imports, which are no longer needed. */
export async function removeExpired(sql: PluginSql): Promise<number> {
  const gone = await sql`delete from imports where status in ('mapping', 'ready') and expires_at < now() returning id`;
  await sql`update imports set content = null where content is not null and status in ('done', 'failed') and expires_at < now()`;
  return gone.length;
}
