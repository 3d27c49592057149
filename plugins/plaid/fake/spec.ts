// Plaid's OpenAPI spec for conformance checks: the full spec from ../shared/specs when this checkout
// has it, otherwise the committed extract (spec-extract.json) of just the schemas the fake needs.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { ENDPOINTS, EXTRA_SCHEMAS, SPEC_PATH_FROM_REPO } from './spec-endpoints.ts';

type Schema = Record<string, unknown>;
type OpenApiDoc = { info: { version: string }; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };

export type SpecSchemas = {
  origin: 'spec' | 'extract';
  version: string;
  /** Response and error schema names by endpoint. */
  paths: Record<string, { response: string; error: string }>;
  schemas: Record<string, Schema>;
};

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const SPEC_FILE = resolve(REPO_ROOT, SPEC_PATH_FROM_REPO);
export const EXTRACT_FILE = join(import.meta.dirname, 'spec-extract.json');

export function readFullSpec(file = SPEC_FILE): OpenApiDoc | null {
  if (!existsSync(file)) return null;
  return YAML.parse(readFileSync(file, 'utf8'), { maxAliasCount: -1 }) as OpenApiDoc;
}

export function loadSpecSchemas(): SpecSchemas {
  const full = readFullSpec();
  if (full) return { origin: 'spec', version: full.info.version, paths: endpointSchemas(full), schemas: full.components.schemas };
  return loadExtract();
}

/** The committed extract, whether or not the full spec is present. */
export function loadExtract(): SpecSchemas {
  const extract = JSON.parse(readFileSync(EXTRACT_FILE, 'utf8')) as Omit<SpecSchemas, 'origin'>;
  return { origin: 'extract', ...extract };
}

/** Just the schemas the fake's endpoints and webhooks need, with everything they refer to. */
export function extractSchemas(spec: OpenApiDoc): Omit<SpecSchemas, 'origin'> {
  const paths = endpointSchemas(spec);
  const wanted = [...Object.values(paths).flatMap((p) => [p.response, p.error]), ...EXTRA_SCHEMAS];
  const names = new Set<string>();
  const visit = (name: string) => {
    if (names.has(name)) return;
    const schema = spec.components.schemas[name];
    if (!schema) throw new Error(`spec has no schema ${name}`);
    names.add(name);
    for (const ref of refsIn(schema)) visit(ref);
  };
  wanted.forEach(visit);
  const schemas: Record<string, Schema> = {};
  for (const name of [...names].sort()) schemas[name] = strip(spec.components.schemas[name]!) as Schema;
  return { version: spec.info.version, paths, schemas };
}

function endpointSchemas(spec: OpenApiDoc): SpecSchemas['paths'] {
  const out: SpecSchemas['paths'] = {};
  for (const path of ENDPOINTS) {
    const responses = spec.paths[path]?.post?.responses;
    const name = (r: any) => String(r?.content?.['application/json']?.schema?.$ref ?? '').split('/').pop() ?? '';
    if (!responses) throw new Error(`spec has no POST ${path}`);
    out[path] = { response: name(responses['200']), error: name(responses.default) };
  }
  return out;
}

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) out.push(v.slice('#/components/schemas/'.length));
      else refsIn(v, out);
    }
  }
  return out;
}

// Documentation keywords do not affect validation; dropping them keeps the extract small.
const DOC_KEYWORDS = new Set(['description', 'example', 'examples', 'externalDocs', 'title']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_VALUES = new Set(['items', 'not', 'additionalProperties']);

function strip(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (DOC_KEYWORDS.has(k) || k.startsWith('x-')) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Schema).map(([name, s]) => [name, strip(s)]));
    else if (SCHEMA_LISTS.has(k)) out[k] = (v as unknown[]).map(strip);
    else if (SCHEMA_VALUES.has(k)) out[k] = strip(v);
    else out[k] = v;
  }
  return out;
}
