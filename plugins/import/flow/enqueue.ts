// Starts (or restarts) the job of a queued import; one queued job per import at most.
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { setJob } from '../store/imports.ts';

export async function enqueueRun(ctx: PluginContext, importId: string): Promise<void> {
  const jobId = await ctx.jobs.enqueue('run', { importId }, { singletonKey: importId });
  if (jobId) await setJob(ctx.db.sql, importId, jobId);
}
