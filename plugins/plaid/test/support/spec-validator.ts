// Validates JSON against Plaid's OpenAPI schemas with ajv. OpenAPI 3.0's `nullable: true` becomes
// "this schema or null" (ajv's own nullable support rejects nullable enums and $ref/allOf forms that
// Plaid's spec uses). Besides the schema, `undeclared` lists properties the schema never mentions:
// Plaid's objects allow extra properties, so a misspelt optional field would otherwise pass.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { loadSpecSchemas, type SpecSchemas } from '../../fake/spec.ts';

type Schema = Record<string, unknown>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export type SchemaCheck = { valid: boolean; errors: string[]; undeclared: string[] };

export class SpecValidator {
  readonly spec: SpecSchemas;
  readonly #ajv: Ajv;
  readonly #schemas: Record<string, Schema>;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(spec: SpecSchemas = loadSpecSchemas()) {
    this.spec = spec;
    this.#schemas = Object.fromEntries(Object.entries(spec.schemas).map(([k, v]) => [k, toJsonSchema(v) as Schema]));
    this.#ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.#ajv);
    this.#ajv.addSchema({ $id: 'plaid', components: { schemas: this.#schemas } });
  }

  /** Checks `data` against a named component schema (e.g. 'TransactionsSyncResponse'). */
  check(schemaName: string, data: unknown): SchemaCheck {
    if (!this.#schemas[schemaName]) throw new Error(`no schema ${schemaName} in the ${this.spec.origin}`);
    let validate = this.#compiled.get(schemaName);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `plaid#/components/schemas/${schemaName}` });
      this.#compiled.set(schemaName, validate);
    }
    const valid = validate(data) as boolean;
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    return { valid, errors, undeclared: this.#undeclared({ $ref: `#/components/schemas/${schemaName}` }, data, '') };
  }

  responseSchema(path: string): string {
    const p = this.spec.paths[path];
    if (!p) throw new Error(`no endpoint ${path} in the ${this.spec.origin}`);
    return p.response;
  }

  #resolve(schema: Schema): Schema {
    let s = schema;
    while (typeof s.$ref === 'string') s = this.#schemas[s.$ref.split('/').pop()!]!;
    return s;
  }

  /** Properties the schema declares nowhere (following $ref, allOf/anyOf/oneOf, items). */
  #undeclared(schema: Schema, data: unknown, at: string): string[] {
    if (data === null || typeof data !== 'object') return [];
    const branches = this.#branches(schema);
    if (Array.isArray(data)) {
      const items = branches.map((b) => b.items as Schema | undefined).filter((i): i is Schema => !!i);
      return items.length ? data.flatMap((d, i) => this.#undeclared({ allOf: items }, d, `${at}/${i}`)) : [];
    }
    const props = new Map<string, Schema[]>();
    for (const b of branches) for (const [k, v] of Object.entries((b.properties as Record<string, Schema>) ?? {})) props.set(k, [...(props.get(k) ?? []), v]);
    if (props.size === 0) return []; // a free-form object
    return Object.entries(data).flatMap(([k, v]) => {
      const decl = props.get(k);
      // Declared by several branches (allOf): the union of what they declare applies.
      return decl ? this.#undeclared({ allOf: decl }, v, `${at}/${k}`) : [`${at}/${k}`];
    });
  }

  #branches(schema: Schema): Schema[] {
    const s = this.#resolve(schema);
    const nested = (['allOf', 'anyOf', 'oneOf'] as const).flatMap((k) => ((s[k] as Schema[]) ?? []).flatMap((b) => this.#branches(b)));
    return [s, ...nested];
  }
}

/** OpenAPI 3.0 schema → JSON Schema as ajv reads it (nullable → anyOf [schema, null]). */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'nullable' || k === 'discriminator' || k === 'example' || k.startsWith('x-')) continue;
    // `properties` maps names to schemas; the names are not keywords, so recurse into the values only.
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([n, s]) => [n, toJsonSchema(s)])) : toJsonSchema(v);
  }
  return (node as Schema).nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}
