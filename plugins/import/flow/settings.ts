// This household's import settings (manifest `settings`, defaults filled in by the kernel).
import type { PluginContext } from '../../../plugin-sdk/index.ts';

export type ImportSettings = { duplicateDays: number; keepUploadHours: number };

export async function importSettings(ctx: PluginContext): Promise<ImportSettings> {
  const s = await ctx.settings.get<Partial<ImportSettings>>();
  return { duplicateDays: s.duplicateDays ?? 3, keepUploadHours: s.keepUploadHours ?? 24 };
}
