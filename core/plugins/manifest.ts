// Reads and validates a plugin's plugin.json before any of its code is imported. Every refusal
// names the file, the field (as a JSON pointer) and the rule that failed.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import semver from 'semver';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Manifest, Mode } from '../../plugin-sdk/types.ts';
import { SDK_VERSION } from '../../plugin-sdk/version.ts';

const require = createRequire(import.meta.url);
const Ajv = require('ajv').default as typeof import('ajv').default;
const manifestSchema = require('../../plugin-sdk/manifest.schema.json');

export class ManifestError extends Error {
  override name = 'ManifestError';
  readonly file: string;
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(`${file}: invalid plugin manifest:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.file = file;
    this.problems = problems;
  }
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateManifest: ValidateFunction = ajv.compile(manifestSchema);

const escape = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/** One ajv error as "<pointer>: <what is wrong> (rule: <keyword>)". */
export function describeAjvError(e: ErrorObject, base = ''): string {
  const at = base + e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at}/${escape(String(p.missingProperty))}: is required (rule: required)`;
    case 'additionalProperties':
      return `${at}/${escape(String(p.additionalProperty))}: is not a known field (rule: additionalProperties)`;
    case 'pattern': {
      const what = (e.parentSchema as { description?: string } | undefined)?.description ?? `must match ${p.pattern}`;
      return `${at || '/'}: ${JSON.stringify(e.data)} ${what} (rule: pattern)`;
    }
    case 'enum':
      return `${at || '/'}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (rule: enum)`;
    default:
      return `${at || '/'}: ${e.message} (rule: ${e.keyword})`;
  }
}

// Only the most specific message per field: ajv also reports the failing parent (e.g. anyOf).
function describeAll(errors: ErrorObject[]): string[] {
  return [...new Set(errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames').map((e) => describeAjvError(e)))];
}

/** A settings schema (per-household `settings` or the admin's `instanceSettings`) must itself be sound. */
function settingsSchemaProblems(schema: Manifest['settings'], key: 'settings' | 'instanceSettings'): string[] {
  if (!schema) return [];
  const out: string[] = [];
  const props = schema.properties ?? {};
  (schema.required ?? []).forEach((name, i) => {
    if (!(name in props)) out.push(`/${key}/required/${i}: "${name}" is not a property of /${key}/properties (rule: required names a property)`);
  });
  for (const [name, prop] of Object.entries(props)) {
    if (prop.writeOnly !== true) continue;
    const at = `/${key}/properties/${escape(name)}`;
    if (key === 'settings') out.push(`${at}/writeOnly: secret fields belong in /instanceSettings; a household's secrets are ctx.secrets (rule: secrets are instance settings)`);
    else if (prop.type !== 'string') out.push(`${at}/writeOnly: a secret field must be of type "string" (rule: secret is a string)`);
    if ('default' in prop) out.push(`${at}/default: a secret field has no default (rule: no secret default)`);
  }
  try {
    ajv.compile(schema);
    for (const [name, prop] of Object.entries(props)) {
      if ('default' in prop && !ajv.validate(prop, prop.default)) out.push(`/${key}/properties/${escape(name)}/default: does not match its own schema (rule: valid default)`);
    }
  } catch (err) {
    out.push(`/${key}: is not a valid JSON Schema: ${(err as Error).message} (rule: JSON Schema)`);
  }
  return out;
}

/** Checks JSON Schema cannot express: the SDK range, cross-field consistency, the settings schema itself. */
function semanticProblems(m: Manifest, expect: { id?: string; mode?: Mode }): string[] {
  const out: string[] = [];
  if (expect.id && m.id !== expect.id) out.push(`/id: is "${m.id}" but mff.config.ts lists this plugin as "${expect.id}" (rule: matches config)`);
  const range = semver.validRange(m.sdk);
  if (!range) out.push(`/sdk: "${m.sdk}" is not a semver range (rule: semver range)`);
  else if (!semver.satisfies(SDK_VERSION, range, { includePrerelease: true })) {
    out.push(`/sdk: "${m.sdk}" does not accept this mff's plugin-sdk ${SDK_VERSION} (rule: sdk compatibility)`);
  }
  if (m.nav && !(m.slots ?? []).includes('nav')) out.push(`/nav: a navigation entry needs "nav" in /slots (rule: slot declared)`);
  for (const s of m.provides ?? []) if ((m.requires ?? []).includes(s)) out.push(`/requires: "${s}" is also in /provides; a plugin cannot require its own service (rule: no self-dependency)`);
  if (expect.mode && m.modes?.supported && !m.modes.supported.includes(expect.mode)) {
    out.push(`/modes/supported: does not include "${expect.mode}", the mode mff.config.ts gives it (rule: supported mode)`);
  }
  for (const key of ['settings', 'instanceSettings'] as const) out.push(...settingsSchemaProblems(m[key], key));
  return out;
}

/** Parses and validates an already read plugin.json text. `file` is how errors name it. */
export function parseManifest(text: string, file: string, expect: { id?: string; mode?: Mode } = {}): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(file, [`/: is not valid JSON: ${(err as Error).message} (rule: JSON syntax)`]);
  }
  if (!validateManifest(data)) throw new ManifestError(file, describeAll(validateManifest.errors ?? []));
  const m = data as Manifest;
  const problems = semanticProblems(m, expect);
  if (problems.length) throw new ManifestError(file, problems);
  return m;
}

/** Reads <dir>/plugin.json; `root` makes the file name in messages relative (plugins/x/plugin.json). */
export function loadManifest(dir: string, expect: { id?: string; mode?: Mode; root?: string } = {}): Manifest {
  const path = join(dir, 'plugin.json');
  const shown = expect.root ? relative(expect.root, path) : path;
  if (!existsSync(path)) throw new ManifestError(shown, ['/: file not found (rule: a plugin has a plugin.json)']);
  return parseManifest(readFileSync(path, 'utf8'), shown, expect);
}
