// A plugin's settings schema (manifest `settings`, JSON Schema of simple fields) as an HTML form:
// fields to render, and a posted form turned back into typed values and validated with ajv.
import { createRequire } from 'node:module';
import type { JsonSchemaObject } from '../../plugin-sdk/types.ts';

const require = createRequire(import.meta.url);
const Ajv = require('ajv').default as typeof import('ajv').default;
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });

type Prop = { type: 'string' | 'number' | 'integer' | 'boolean'; title?: string; description?: string; enum?: unknown[]; minimum?: number; maximum?: number; maxLength?: number; default?: unknown; format?: string; errorMessage?: string };

export type SettingsField = {
  name: string;
  label: string;
  help: string | null;
  input: 'checkbox' | 'select' | 'number' | 'text' | 'password';
  required: boolean;
  value: string;
  checked: boolean;
  options: { value: string; label: string; selected: boolean }[];
  min: number | null;
  max: number | null;
  step: string | null;
  maxLength: number | null;
};

export function settingsFields(schema: JsonSchemaObject, values: Record<string, unknown>): SettingsField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries((schema.properties ?? {}) as Record<string, Prop>).map(([name, p]) => {
    const v = values[name];
    const input = p.type === 'boolean' ? 'checkbox' : p.enum ? 'select' : p.type === 'string' ? 'text' : 'number';
    return {
      name,
      label: p.title ?? name,
      help: p.description ?? null,
      input,
      required: required.has(name) && p.type !== 'boolean',
      value: v === undefined || v === null ? '' : String(v),
      checked: v === true,
      options: (p.enum ?? []).map((o) => ({ value: String(o), label: String(o), selected: String(o) === String(v) })),
      min: p.minimum ?? null,
      max: p.maximum ?? null,
      step: p.type === 'integer' ? '1' : p.type === 'number' ? 'any' : null,
      maxLength: p.maxLength ?? null,
    };
  });
}

/**
 * Form strings → typed values (absent checkbox = false, empty optional field = unset), then the
 * schema's verdict. `keep`: values the form does not resend but that stay (a secret already set),
 * validated with the rest and not returned.
 */
export function parseSettingsForm(schema: JsonSchemaObject, form: Record<string, string>, keep: Record<string, unknown> = {}): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [name, p] of Object.entries((schema.properties ?? {}) as Record<string, Prop>)) {
    const raw = form[name];
    if (p.type === 'boolean') values[name] = raw === 'on' || raw === 'true';
    else if (raw === undefined || raw.trim() === '') continue;
    else if (p.type === 'number' || p.type === 'integer') {
      const n = Number(raw);
      if (!Number.isFinite(n)) errors[name] = 'must be a number';
      else values[name] = n;
    } else values[name] = raw;
  }
  for (const [name, message] of Object.entries(validateSettings(schema, { ...keep, ...values }))) errors[name] ??= message;
  return { values, errors };
}

/** The schema's verdict on typed values: field name → what is wrong (to follow the field's title). */
export function validateSettings(schema: JsonSchemaObject, values: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  const validate = ajv.compile(schema);
  const props = (schema.properties ?? {}) as Record<string, Prop>;
  if (!validate(values)) {
    for (const e of validate.errors ?? []) {
      const name = e.keyword === 'required' ? String((e.params as { missingProperty: string }).missingProperty) : e.instancePath.slice(1).split('/')[0] || 'form';
      errors[name] ??= e.keyword === 'required' ? 'is required' : props[name]?.errorMessage ?? e.message ?? 'is invalid';
    }
  }
  return errors;
}
