// Job routes: a household reads its own job's state and progress (for progress bars); the instance
// admin lists jobs of every household (failed ones with their error and attempts) and retries them.
import { z } from 'zod';
import type { Kernel } from '../kernel.ts';
import { forbidden, notFound } from '../http/problem.ts';
import type { Auth } from '../http/env.ts';

const STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
const date = z.iso.datetime();

const JobBase = {
  id: z.uuid(),
  queue: z.string(),
  state: z.enum(STATES),
  attempts: z.int().describe('runs so far, retries included'),
  error: z.string().nullable().describe('message of the last failure'),
  createdAt: date,
  startedAt: date.nullable(),
  completedAt: date.nullable(),
};
const Progress = z.object({ done: z.number(), total: z.number().nullable().optional(), message: z.string().nullable().optional() });
const JobStatus = z.object({ ...JobBase, progress: Progress.nullable() });
const AdminJob = z.object({ ...JobBase, householdId: z.uuid().nullable(), retryLimit: z.int() });
const JobId = z.object({ id: z.uuid() }).strict();

const requireAdmin = (auth: Auth) => {
  if (!auth.user.isAdmin) throw forbidden('only instance administrators can see every household’s jobs');
};

export function registerJobApi(k: Kernel): void {
  k.api.add({
    method: 'get',
    path: '/jobs/:id',
    tag: 'Jobs',
    summary: "A job of the current household: its state and reported progress",
    params: JobId,
    response: JobStatus,
    handler: async ({ params, auth }) => {
      const status = auth.householdId ? await k.jobs.status(auth.householdId, params.id) : null;
      if (!status) throw notFound('no such job in this household');
      return status;
    },
  });

  k.api.add({
    method: 'get',
    path: '/admin/jobs',
    tag: 'Admin',
    summary: 'Recent jobs of every household, newest first (instance admins)',
    query: z
      .object({
        state: z.enum(STATES).optional(),
        queue: z.string().max(100).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      })
      .strict(),
    response: z.object({ jobs: z.array(AdminJob) }),
    handler: async ({ query, auth }) => {
      requireAdmin(auth);
      return { jobs: await k.jobs.list(query) };
    },
  });

  k.api.add({
    method: 'post',
    path: '/admin/jobs/:id/retry',
    tag: 'Admin',
    summary: 'Put a failed job back in its queue (instance admins)',
    params: JobId,
    status: 204,
    handler: async ({ params, auth }) => {
      requireAdmin(auth);
      if (!(await k.jobs.retry(params.id))) throw notFound('no failed job with this id');
    },
  });
}
