import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amountFromForm } from './amount-input.ts';

test('amounts typed the usual ways become decimal strings; ambiguous ones are left for the schema to refuse', () => {
  const cases: [string, string][] = [
    ['1,234.56', '1234.56'], ['-1,299.00', '-1299.00'], ['$12.00', '12.00'], ['-$12.00', '-12.00'], ['$-12', '-12'],
    ['€ 5', '5'], ['+3', '3'], ['  -4.50 ', '-4.50'], ['1,234,567', '1234567'], ['30,000', '30000'], ['0.5', '0.5'],
    ['12,50', '12,50'], ['1,23.4', '1,23.4'], ['--5', '--5'], ['-$-5', '-$-5'], ['ten', 'ten'], ['', ''], ['1.234,56', '1.234,56'],
  ];
  for (const [typed, want] of cases) assert.equal(amountFromForm(typed), want, typed);
});
