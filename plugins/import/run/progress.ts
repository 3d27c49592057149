// Job progress through the kernel (ctx.jobs.progress: what GET /api/v1/jobs/:id shows). The
// import's own row carries the same numbers for its page (store/runs.ts).
import type { PluginContext } from '../../../plugin-sdk/index.ts';

export type Progress = { done: number; total: number | null; message?: string };

export async function reportProgress(ctx: PluginContext, p: Progress): Promise<void> {
  await ctx.jobs.progress?.(p);
}
