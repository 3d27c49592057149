// Turns the OpenAPI document into what the reference page shows: operations grouped by tag, each
// with its parameters, request body and response flattened into readable field tables.
type Schema = Record<string, any>;
type Doc = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, Schema> } };

export type Field = { name: string; type: string; required: boolean; notes: string[] };
export type Operation = {
  id: string; method: string; path: string; summary: string; auth: string;
  params: (Field & { in: string })[]; body: Field[] | null; response: { status: string; fields: Field[] | null };
};
export type TagGroup = { name: string; slug: string; operations: Operation[] };

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function resolve(doc: Doc, s: Schema | undefined): Schema {
  if (!s) return {};
  const ref = typeof s.$ref === 'string' && s.$ref.match(/^#\/components\/schemas\/(.+)$/);
  return ref ? doc.components?.schemas?.[ref[1]] ?? {} : s;
}

/** The non-null alternative of `anyOf: [X, {type: 'null'}]`, and whether null is allowed. */
function unwrapNullable(s: Schema): { schema: Schema; nullable: boolean } {
  if (Array.isArray(s.anyOf)) {
    const rest = s.anyOf.filter((a: Schema) => a.type !== 'null');
    if (rest.length === 1 && rest.length < s.anyOf.length) return { schema: { ...rest[0], description: s.description ?? rest[0].description }, nullable: true };
  }
  if (Array.isArray(s.type) && s.type.includes('null')) {
    const t = s.type.filter((x: string) => x !== 'null');
    return { schema: { ...s, type: t.length === 1 ? t[0] : t }, nullable: true };
  }
  return { schema: s, nullable: false };
}

export function typeLabel(doc: Doc, raw: Schema): string {
  const { schema: s, nullable } = unwrapNullable(resolve(doc, raw));
  let t: string;
  if (s.const !== undefined) t = JSON.stringify(s.const);
  else if (Array.isArray(s.enum)) t = s.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  else if (s.type === 'array') t = `array of ${typeLabel(doc, s.items ?? {})}`;
  else if (Array.isArray(s.anyOf ?? s.oneOf)) t = (s.anyOf ?? s.oneOf).map((a: Schema) => typeLabel(doc, a)).join(' or ');
  else if (s.type) t = `${Array.isArray(s.type) ? s.type.join(' | ') : s.type}${s.format ? ` (${s.format})` : ''}`;
  else t = 'any';
  return nullable ? `${t} or null` : t;
}

function notes(s: Schema): string[] {
  const n: string[] = [];
  if (s.description) n.push(s.description);
  if (s.minLength !== undefined && s.maxLength !== undefined) n.push(`length ${s.minLength}–${s.maxLength}`);
  else if (s.maxLength !== undefined) n.push(`at most ${s.maxLength} characters`);
  else if (s.minLength) n.push(`at least ${s.minLength} characters`);
  // zod's int() states the safe-integer range; that is no rule worth reading.
  if (s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER) n.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) n.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) n.push(`≤ ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) n.push(`< ${s.exclusiveMaximum}`);
  if (s.minItems !== undefined || s.maxItems !== undefined) n.push(`${s.minItems ?? 0}–${s.maxItems ?? '∞'} items`);
  if (s.pattern && !s.format) n.push(`pattern ${s.pattern}`); // a format (uuid, date-time) says it better
  if (s.default !== undefined) n.push(`default ${JSON.stringify(s.default)}`);
  return n;
}

/** Object properties as rows, nested objects and arrays of objects as `a.b` and `a[].b`. */
export function flatten(doc: Doc, raw: Schema | undefined, prefix = '', depth = 0): Field[] | null {
  const s = unwrapNullable(resolve(doc, raw)).schema;
  if (s.type === 'array' && !prefix) return flatten(doc, s.items, '[].', depth);
  if (s.type !== 'object' || !s.properties) return prefix ? [] : null;
  const out: Field[] = [];
  for (const [key, propRaw] of Object.entries<Schema>(s.properties)) {
    const prop = unwrapNullable(resolve(doc, propRaw)).schema;
    const name = prefix + key;
    out.push({ name, type: typeLabel(doc, propRaw), required: !!s.required?.includes(key), notes: notes({ ...prop, description: propRaw.description ?? prop.description }) });
    if (depth < 4) {
      if (prop.type === 'object') out.push(...(flatten(doc, prop, `${name}.`, depth + 1) ?? []));
      else if (prop.type === 'array' && resolve(doc, prop.items).type === 'object') out.push(...(flatten(doc, prop.items, `${name}[].`, depth + 1) ?? []));
    }
  }
  return out;
}

/** `scopes` maps "METHOD /path" to the token scope the route needs. */
export function docModel(doc: Doc, scopes: Map<string, string>): TagGroup[] {
  const groups = new Map<string, Operation[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      const [status, res] = Object.entries<any>(op.responses ?? {}).find(([code]) => code !== 'default') ?? ['200', {}];
      const body = op.requestBody?.content?.['application/json']?.schema;
      const scope = scopes.get(`${method.toUpperCase()} ${path}`) ?? (method === 'get' ? 'read' : 'write');
      const operation: Operation = {
        id: op.operationId ?? slug(`${method} ${path}`),
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? '',
        auth: Array.isArray(op.security) && op.security.length === 0 ? 'Public: no token needed.' : `Signed in, or a token with the '${scope}' scope.`,
        params: (op.parameters ?? []).map((p: any) => ({ in: p.in, name: p.name, type: typeLabel(doc, p.schema ?? {}), required: !!p.required, notes: notes(p.schema ?? {}) })),
        body: body ? flatten(doc, body) ?? [{ name: '(body)', type: typeLabel(doc, body), required: true, notes: [] }] : null,
        response: { status, fields: flatten(doc, res.content?.['application/json']?.schema) },
      };
      const tag = op.tags?.[0] ?? 'Other';
      groups.set(tag, [...(groups.get(tag) ?? []), operation]);
    }
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, operations]) => ({ name, slug: slug(name), operations: operations.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)) }));
}
