import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from './index.ts';

const message = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  assert.equal(r.success, false);
  return r.error!.issues[0].message;
};

test('validation messages say what to do, for every schema; a schema\'s own message still wins', () => {
  assert.equal(message(z.string().min(1), ''), 'must not be empty');
  assert.equal(message(z.string().max(3), 'abcd'), 'must be at most 3 characters');
  assert.equal(message(z.object({ name: z.string() }), {}), 'is required');
  assert.equal(message(z.number(), '20x6'), 'must be a number');
  assert.equal(message(z.number().int().min(1), 0), 'must be at least 1');
  assert.equal(message(z.array(z.string()).max(2), ['a', 'b', 'c']), 'must have at most 2 items');
  assert.equal(message(z.iso.date(), '2026-02-31'), 'must be a date like 2026-01-31');
  assert.equal(message(z.uuid(), 'nope'), 'must be an id (a UUID)');
  assert.equal(message(z.enum(['monthly', 'annual']), 'weekly'), 'must be one of: monthly, annual');
  assert.equal(message(z.string().min(1, 'a name, please'), ''), 'a name, please');
});
