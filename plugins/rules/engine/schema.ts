// The rule language (Firefly III's vocabulary: conditions are triggers, "all"/"any" is strictness,
// stop processing ends the run). Every malformed condition or action is refused with a message that
// names it, e.g. "conditions[2] (amount between): max must be greater than value".
import { z } from 'zod';
import { isDecimal, compareDecimal } from './decimal.ts';
import { linearRegex } from './linear-regex.ts';

const TEXT_FIELDS = ['payee', 'description', 'notes'] as const;
const FIELDS = [...TEXT_FIELDS, 'amount', 'direction', 'account', 'category', 'provider_category', 'date', 'pending', 'tag'] as const;

const OPS: Record<(typeof FIELDS)[number], readonly string[]> = {
  payee: ['contains', 'equals', 'starts_with', 'matches'],
  description: ['contains', 'equals', 'starts_with', 'matches'],
  notes: ['contains', 'equals', 'starts_with', 'matches'],
  amount: ['equals', 'greater', 'less', 'between'],
  direction: ['is'],
  account: ['is', 'is_not'],
  category: ['is', 'is_empty'],
  provider_category: ['is'],
  date: ['between'],
  pending: ['is'],
  tag: ['has'],
};

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const calendarDate = z.iso.date();
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ConditionSchema = z
  .object({
    field: z.string(),
    op: z.string(),
    value: z.union([z.string(), z.boolean(), z.array(z.string())]).optional(),
    max: z.string().optional(), // upper bound for amount/date "between"
    caseSensitive: z.boolean().optional(),
  })
  .strict();

export type Condition = {
  field: (typeof FIELDS)[number];
  op: string;
  value?: string | boolean | string[];
  max?: string;
  caseSensitive?: boolean;
};

export const ActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set_category'), categoryId: z.uuid() }).strict(),
  z.object({ type: z.literal('rename_payee'), value: z.string().min(1).max(200) }).strict(),
  z.object({ type: z.literal('add_tag'), value: z.string().min(1).max(50) }).strict(),
  z.object({ type: z.literal('set_note'), value: z.string().min(1).max(1000) }).strict(),
  z.object({ type: z.literal('exclude') }).strict(),
  z.object({ type: z.literal('mark_transfer') }).strict(),
  z.object({ type: z.literal('stop') }).strict(),
]);
export type Action = z.infer<typeof ActionSchema>;

/** Returns a message for a malformed condition, or null when it is well-formed. */
export function checkCondition(c: z.infer<typeof ConditionSchema>): string | null {
  if (!(FIELDS as readonly string[]).includes(c.field)) return `unknown field '${c.field}' (one of ${FIELDS.join(', ')})`;
  const ops = OPS[c.field as Condition['field']];
  if (!ops.includes(c.op)) return `operator '${c.op}' does not apply to ${c.field} (one of ${ops.join(', ')})`;
  const v = c.value;
  const str = (what: string) => (typeof v === 'string' && v.length > 0 ? null : `value must be ${what}`);
  switch (c.field) {
    case 'payee':
    case 'description':
    case 'notes': {
      const e = str('a non-empty string');
      if (e) return e;
      // A pattern must compile for the linear-time engine (no backreferences or lookaround): it
      // runs on every new transaction, where backtracking could hold the server for minutes.
      if (c.op === 'matches') {
        const re = linearRegex(v as string, c.caseSensitive === true);
        if (typeof re === 'string') return re;
      }
      return null;
    }
    case 'amount': {
      if (typeof v !== 'string' || !isDecimal(v)) return 'value must be a decimal string such as "-12.50"';
      if (c.op === 'between') {
        if (typeof c.max !== 'string' || !isDecimal(c.max)) return 'max must be a decimal string for between';
        if (compareDecimal(c.max, v) < 0) return 'max must not be less than value';
      }
      return null;
    }
    case 'direction':
      return v === 'in' || v === 'out' ? null : "value must be 'in' or 'out'";
    case 'account':
      return Array.isArray(v) && v.length > 0 && v.every((x) => uuid.test(x)) ? null : 'value must be a list of account ids';
    case 'category':
      if (c.op === 'is_empty') return v === undefined ? null : 'is_empty takes no value';
      return Array.isArray(v) && v.length > 0 && v.every((x) => uuid.test(x)) ? null : 'value must be a list of category ids';
    case 'provider_category':
      return typeof v === 'string' && /^[A-Z][A-Z_]*$/.test(v) ? null : 'value must be a PFC code such as FOOD_AND_DRINK or FOOD_AND_DRINK_GROCERIES';
    case 'date':
      if (typeof v !== 'string' || !isoDate.test(v) || typeof c.max !== 'string' || !isoDate.test(c.max)) {
        return 'value and max must be dates (YYYY-MM-DD)';
      }
      // The shape alone lets 2026-02-31 through, which would then compare as a string.
      for (const d of [v, c.max]) if (!calendarDate.safeParse(d).success) return `${d} is not a calendar date`;
      return c.max < v ? 'max must not be before value' : null;
    case 'pending':
      return typeof v === 'boolean' ? null : 'value must be true or false';
    case 'tag':
      return str('a tag');
  }
  return null;
}

export const RuleInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    stage: z.enum(['pre', 'default', 'post']).default('default'),
    match: z.enum(['all', 'any']).default('all'),
    enabled: z.boolean().default(true),
    conditions: z.array(ConditionSchema).min(1, 'a rule needs at least one condition').max(50),
    actions: z.array(ActionSchema).min(1, 'a rule needs at least one action').max(20),
  })
  .strict()
  .superRefine((rule, ctx) => {
    rule.conditions.forEach((c, i) => {
      const message = checkCondition(c);
      if (message) ctx.addIssue({ code: 'custom', path: ['conditions', i], message: `conditions[${i}] (${c.field} ${c.op}): ${message}` });
    });
  });

export type RuleInput = z.infer<typeof RuleInputSchema>;
export type Rule = RuleInput & { id: string; position: number };
