// Plugin API routes in the kernel's ApiRegistry: under /api/v1/<id>/, behind the same auth, scopes,
// validation and problem+json errors as the kernel's own, in the OpenAPI document while the plugin
// is active (404 and undocumented while it is not).
import { z } from 'zod';
import type { Kernel } from '../kernel.ts';
import { Problem, forbidden } from '../http/problem.ts';
import type { LocalRuntime } from '../../plugin-sdk/runtime.ts';
import type { Role } from '../../plugin-sdk/types.ts';
import { requestCall } from './call.ts';
import type { PluginHost } from './host.ts';
import { apiPrefix } from './naming.ts';
import { pluginProblem } from './problems.ts';

const RANK: Record<Role, number> = { viewer: 0, member: 1, owner: 2 };

/** A schema the kernel only documents: the sandboxed plugin validates with its own zod schema. */
const documented = (json: object | undefined) => (json ? (z.unknown().meta(json as Record<string, unknown>) as z.ZodType) : undefined);

export function registerPluginApi(k: Kernel, host: PluginHost): void {
  for (const p of host.list()) {
    const runtime = p.runtime;
    if (!runtime) continue;
    const zod = (runtime as Partial<LocalRuntime>).definition?.api;
    runtime.shape.api.forEach((r, i) => {
      const own = zod?.[i];
      k.api.add({
        method: r.method,
        path: apiPrefix(p.id) + (r.path === '/' ? '' : r.path),
        summary: r.summary,
        tag: p.id,
        scope: r.scope,
        status: r.status,
        idempotent: r.idempotent,
        // A POST a plugin declares open to viewers (role 'viewer'): a dry run such as a rule test.
        viewerMayPost: r.role === 'viewer' && r.method !== 'get',
        params: own ? own.params : documented(r.schemas.params),
        query: own ? own.query : documented(r.schemas.query),
        body: own ? own.body : documented(r.schemas.body),
        response: own ? own.response : documented(r.schemas.response),
        active: () => host.isActive(p.id),
        handler: async ({ params, query, body, c, auth }) => {
          if (!auth.householdId || !auth.role) {
            // Mff-Household named a household the caller is not in (or none exists): say which.
            if (c.req.header('mff-household')) {
              throw new Problem(404, 'Not Found', 'Mff-Household: no household of yours has this id', { errors: [{ field: 'header.Mff-Household', message: 'no household of yours has this id' }] });
            }
            throw new Problem(409, 'Conflict', 'select or create a household first');
          }
          const need = r.role ?? (r.method === 'get' ? 'viewer' : 'member');
          if (RANK[auth.role] < RANK[need]) throw forbidden(`this route needs the ${need} role; yours is ${auth.role}`);
          const call = await requestCall(k.db, c, p.manifest);
          try {
            return await runtime.api(i, { params, query, body }, call!);
          } catch (err) {
            throw pluginProblem(err);
          }
        },
      });
    });
  }
}
