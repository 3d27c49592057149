// How a plugin id maps to the names the kernel gives it: its schema, URL prefixes, queues.
export const pluginSchema = (id: string) => id.replaceAll('-', '_');
export const pagePrefix = (id: string) => `/p/${id}`;
export const apiPrefix = (id: string) => `/${id}`; // relative to /api/v1
/** pg-boss queue of a plugin job. The plugin id is part of the name, so no plugin reaches another's queue. */
export const jobQueue = (id: string, job: string) => `plugin.${id}.${job}`;
/** Queue delivering events to one subscriber plugin. */
export const eventQueue = (id: string) => `plugin.${id}.__events`;
/** Queue a schedule fires into (one per schedule, so two schedules of one job do not collide). */
export const scheduleQueue = (id: string, schedule: string) => `plugin.${id}.schedule.${schedule}`;

/**
 * A plugin's page elements are ids "p-<plugin>-…" (core/plugins/sandbox/fragment-guard.ts), so beside
 * "foo" a plugin "foo-bar" would be ambiguous: "p-foo-bar-list" reads as either's. Returns the first
 * id that extends another with a hyphen, with that other id.
 */
export function overlappingIds(ids: readonly string[]): { id: string; extends: string } | null {
  for (const id of ids) for (const other of ids) if (id.startsWith(`${other}-`)) return { id, extends: other };
  return null;
}
