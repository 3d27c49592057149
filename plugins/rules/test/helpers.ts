// Shared steps of the rules tests: create rules through the API, apply them through the API's job.
import assert from 'node:assert/strict';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';

export type RuleBody = {
  name?: string; stage?: 'pre' | 'default' | 'post'; match?: 'all' | 'any'; enabled?: boolean;
  conditions: Record<string, unknown>[]; actions: Record<string, unknown>[];
};

let n = 0;
export async function createRule(s: TestSession, body: RuleBody): Promise<{ id: string; name: string; position: number; stage: string }> {
  const res = await s.api('POST', '/api/v1/rules', { name: `rule ${++n}`, ...body });
  assert.equal(res.status, 201, res.text);
  return res.json();
}

/** Preview, then apply through the API's job, and wait for it. Returns both counts. */
export async function previewAndApply(t: TestKernel, s: TestSession, body: Record<string, unknown> = {}) {
  const preview = await s.api('POST', '/api/v1/rules/preview', body);
  assert.equal(preview.status, 200, preview.text);
  const started = await s.api('POST', '/api/v1/rules/apply', { ...body, previewed: preview.json().matched });
  assert.equal(started.status, 202, started.text);
  await t.waitForJob(s.householdId, started.json().jobId);
  const run = await s.api('GET', `/api/v1/rules/runs/${started.json().id}`);
  assert.equal(run.status, 200);
  return { preview: preview.json(), run: run.json() };
}
