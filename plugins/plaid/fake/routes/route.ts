// What an endpoint of the fake declares, and typed readers for request fields that answer a wrong
// type with Plaid's INVALID_FIELD error.
import { plaidError } from '../errors.ts';
import type { FakePlaid } from '../fake-plaid.ts';
import type { FakeItem } from '../item.ts';

export type Body = Record<string, unknown>;

export type RouteContext = { fake: FakePlaid; path: string; body: Body; item: FakeItem };

export type Route = {
  path: string;
  /** Top-level request fields the endpoint accepts besides client_id and secret. */
  fields: string[];
  required: string[];
  /** 'usable': needs an item without an error; 'any': any item that still exists. */
  item?: 'any' | 'usable';
  handle(ctx: RouteContext): Record<string, unknown> | Promise<Record<string, unknown>>;
};

function invalid(name: string, expected: string): never {
  throw plaidError('INVALID_FIELD', { detail: `${name} must be ${expected}` });
}

export function optString(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : invalid(name, 'a string');
}

export function optBool(v: unknown, name: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'boolean' ? v : invalid(name, 'a boolean');
}

export function optInt(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) invalid(name, `an integer from ${min} to ${max}`);
  return v;
}

export function optObject(v: unknown, name: string): Body {
  if (v === undefined || v === null) return {};
  return typeof v === 'object' && !Array.isArray(v) ? (v as Body) : invalid(name, 'an object');
}

export function optStrings(v: unknown, name: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : invalid(name, 'an array of strings');
}
