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
 * The other plugins whose ids extend this one's with a hyphen ("foo-bar" for "foo"). A plugin's page
 * elements are ids "p-<plugin>-…", so "p-foo-bar-list" would pass for one of foo's: the fragment
 * guard refuses those names to foo (core/plugins/sandbox/fragment-guard.ts).
 */
export function extendingIds(id: string, ids: Iterable<string>): string[] {
  return [...ids].filter((other) => other.startsWith(`${id}-`));
}
