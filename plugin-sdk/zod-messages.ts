// Validation messages people can act on, for every schema of the kernel and of every plugin (one
// zod instance, configured once on import): "must not be empty" rather than zod's "Too small:
// expected string to have >=1 characters". A schema's own message still wins.
import { z } from 'zod';

type Issue = { code?: string; input?: unknown; expected?: string; origin?: string; minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean; format?: string; values?: unknown[] };

const TYPE: Record<string, string> = {
  string: 'must be text', number: 'must be a number', int: 'must be a whole number', boolean: 'must be true or false',
  array: 'must be a list', object: 'must be an object', date: 'must be a date',
};

const FORMAT: Record<string, string> = {
  date: 'must be a date like 2026-01-31', datetime: 'must be a date and time like 2026-01-31T12:00:00Z', uuid: 'must be an id (a UUID)',
  guid: 'must be an id (a UUID)', email: 'must be an email address', url: 'must be a URL',
};

const count = (n: number | bigint, one: string, many: string) => `${n} ${n === 1 || n === 1n ? one : many}`;

export function friendlyMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return TYPE[issue.expected ?? ''];
    case 'too_small': {
      const n = issue.minimum!;
      if (issue.origin === 'string') return n === 1 ? 'must not be empty' : `must be at least ${count(n, 'character', 'characters')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return n === 1 ? 'must not be empty' : `must have at least ${count(n, 'item', 'items')}`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return issue.inclusive === false ? `must be more than ${n}` : `must be at least ${n}`;
      return undefined;
    }
    case 'too_big': {
      const n = issue.maximum!;
      if (issue.origin === 'string') return `must be at most ${count(n, 'character', 'characters')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${count(n, 'item', 'items')}`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return issue.inclusive === false ? `must be less than ${n}` : `must be at most ${n}`;
      return undefined;
    }
    case 'invalid_format':
      return FORMAT[issue.format ?? ''];
    case 'invalid_value':
      return issue.values?.length ? `must be one of: ${issue.values.map((v) => String(v)).join(', ')}` : undefined;
    default:
      return undefined;
  }
}

z.config({ customError: (issue) => friendlyMessage(issue as Issue) });
