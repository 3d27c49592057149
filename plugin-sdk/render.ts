// ctx.render: the plugin's own views/ directory, eta with auto-escaping. Runs where the plugin runs
// (in-process or in its sandbox worker); eta refuses templates outside the views directory.
import { Eta } from 'eta';

export type ViewRenderer = (view: string, data: object) => Promise<string>;

export function createViewRenderer(viewsDir: string, opts: { cache?: boolean } = {}): ViewRenderer {
  const eta = new Eta({ views: viewsDir, autoEscape: true, autoTrim: false, cache: opts.cache ?? false });
  return async (view, data) => eta.render(view, data);
}
