// JSON API routes declared once: the zod schemas validate requests and generate the OpenAPI 3.1
// document, so the reference can never drift from what the server accepts.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import '../../plugin-sdk/zod-messages.ts'; // friendly validation messages, kernel and plugins alike
import type { AppEnv, Auth, Scope } from './env.ts';
import { refuseNul } from './no-nul.ts';
import { Problem, badRequest, fromZod, unauthorized, forbidden, notFound } from './problem.ts';
import { IDEMPOTENCY_KEY_TTL_HOURS } from '../../plugin-sdk/idempotency.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type ApiInput<P, Q, B> = { params: P; query: Q; body: B; c: Context<AppEnv>; auth: Auth };

export type ApiRoute<P = any, Q = any, B = any> = {
  method: Method;
  path: string; // Hono style, relative to /api/v1: '/households/:id'
  summary: string;
  tag: string;
  /** 'none' for public routes (token exchange); default requires a signed-in user. */
  auth?: 'none' | 'user';
  scope?: Scope; // default: read for GET, write otherwise
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  response?: z.ZodType;
  status?: number; // success status, default 200 (201 for POST)
  /** Honours an Idempotency-Key header: documented as an optional header parameter. */
  idempotent?: boolean;
  /** An unsafe method that changes nothing (a dry run): viewers may call it (see role-guard.ts). */
  viewerMayPost?: boolean;
  /** Routes that come and go at run time (a plugin's, while it is enabled): 404 and undocumented when false. */
  active?: () => boolean;
  handler: (input: ApiInput<P, Q, B>) => Promise<unknown>;
};

export const API_PREFIX = '/api/v1';

async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new Problem(415, 'Unsupported Media Type', 'request body must be application/json');
  }
  const text = await c.req.text();
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw badRequest(`malformed JSON: ${(err as Error).message}`);
  }
}

/**
 * A repeated key is a list (`?accountId=a&accountId=b`, as OpenAPI's default form style sends an
 * array); a single one stays a string, which list schemas also split on commas.
 */
function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

const refusingNul = (value: unknown, where: string) => (refuseNul(value, where), value);

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, where);
  return r.data;
}

export class ApiRegistry {
  readonly routes: ApiRoute[] = [];

  add<P, Q, B>(route: ApiRoute<P, Q, B>): void {
    this.routes.push(route as ApiRoute);
  }

  /** The active routes whose path matches this request path (any method). */
  private routesAt(path: string): ApiRoute[] {
    return this.routes.filter((r) => (!r.active || r.active())
      && new RegExp(`^${(API_PREFIX + r.path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}$`).test(path));
  }

  /** The methods (upper case) an active route answers at this request path, for a 405's Allow. */
  methodsAt(path: string): string[] {
    const out = new Set(this.routesAt(path).map((r) => r.method.toUpperCase()));
    if (out.has('GET')) out.add('HEAD');
    return [...out];
  }

  /** Whether the route answering this method and path declares that a viewer may call it. */
  viewerMayCall(method: string, path: string): boolean {
    return this.routesAt(path).some((r) => r.method.toUpperCase() === method && r.viewerMayPost === true);
  }

  mount(app: Hono<AppEnv>): void {
    for (const route of this.routes) {
      const scope = route.scope ?? (route.method === 'get' ? 'read' : 'write');
      app.on(route.method.toUpperCase(), API_PREFIX + route.path, async (c) => {
        if (route.active && !route.active()) throw notFound(`no route for ${c.req.method} ${c.req.path}`);
        const auth = c.get('auth');
        if (route.auth !== 'none') {
          if (!auth) throw unauthorized();
          if (!auth.scopes.includes(scope)) throw forbidden(`this token lacks the '${scope}' scope`);
        }
        const rawParams = c.req.param();
        refuseNul(rawParams, 'params');
        const params = parse(route.params, rawParams, 'params');
        const query = parse(route.query, queryOf(new URL(c.req.url).searchParams), 'query');
        const body = route.body ? parse(route.body, refusingNul(await readJson(c), 'body'), 'body') : undefined;
        const result = await route.handler({ params, query, body, c, auth: auth! });
        if (result instanceof Response) return result;
        const status = route.status ?? (route.method === 'post' ? 201 : 200);
        if (result === undefined || status === 204) return c.body(null, 204);
        return c.json(result, status as 200);
      });
    }
  }

  openapi(info: { title: string; version: string }): object {
    const paths: Record<string, Record<string, unknown>> = {};
    const schema = (s: z.ZodType, io: 'input' | 'output') => {
      const { $schema, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
      return rest;
    };
    for (const r of this.routes) {
      if (r.active && !r.active()) continue;
      const path = (API_PREFIX + r.path).replace(/:(\w+)/g, '{$1}');
      const parameters: object[] = [];
      for (const [where, s] of [['path', r.params], ['query', r.query]] as const) {
        if (!s) continue;
        const js = schema(s, 'input') as { properties?: Record<string, object>; required?: string[] };
        for (const [name, prop] of Object.entries(js.properties ?? {})) {
          parameters.push({ name, in: where, required: where === 'path' || !!js.required?.includes(name), schema: prop });
        }
      }
      if (r.idempotent) {
        parameters.push({
          name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 },
          description: `Retrying with the same key and body answers the first result again instead of creating twice; another body with the same key is a 422. A key is kept for ${IDEMPOTENCY_KEY_TTL_HOURS} hours, then may be used again.`,
        });
      }
      const status = String(r.status ?? (r.method === 'post' ? 201 : 200));
      (paths[path] ??= {})[r.method] = {
        summary: r.summary,
        tags: [r.tag],
        operationId: `${r.method}${r.path.replace(/[/:{}-](\w)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
        ...(r.auth === 'none' ? { security: [] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(r.body, 'input') } } } } : {}),
        responses: {
          [status]: status === '204'
            ? { description: 'No content' }
            : { description: 'Success', ...(r.response ? { content: { 'application/json': { schema: schema(r.response, 'output') } } } : {}) },
          default: { description: 'Error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      };
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
      security: [{ bearer: [] }],
      paths,
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A personal access token (mff_pat_...) or an access token from POST /api/v1/auth/token' } },
        schemas: {
          Problem: {
            type: 'object',
            properties: {
              type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
              instance: { type: 'string' }, requestId: { type: 'string' },
              errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
            },
            required: ['title', 'status'],
          },
        },
      },
    };
  }
}
