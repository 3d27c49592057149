// The preview form: per account of the file, where it goes (an existing account, a new one, or
// skipped), and the duplicates the user chose to import anyway.
import type { TargetInput } from '../flow/targets-input.ts';
import type { ImportRecord } from '../store/imports.ts';
import type { Form } from './http.ts';

/** The targets the form changes (undefined when it changes none, so nothing is recomputed). */
export function formTargets(form: Form, imp: ImportRecord): TargetInput[] | undefined {
  const out: TargetInput[] = [];
  for (const a of imp.preview?.accounts ?? []) {
    const choice = form.get(`target-${a.index}`);
    const t = a.target;
    if (!choice || (a.kind === 'investment' && t.kind === 'skip')) continue;
    if (choice === 'skip') {
      if (t.kind !== 'skip') out.push({ index: a.index, skip: true });
    } else if (choice === 'new') {
      const create = { name: form.get(`newName-${a.index}`).trim(), type: form.get(`newType-${a.index}`), currency: form.get(`newCurrency-${a.index}`).trim().toUpperCase() };
      const same = t.kind === 'new' && t.account.name === create.name && t.account.type === create.type && t.account.currency === create.currency;
      if (!same) out.push({ index: a.index, create });
    } else if (choice.startsWith('account:')) {
      const accountId = choice.slice('account:'.length);
      if (t.kind !== 'account' || t.accountId !== accountId) out.push({ index: a.index, accountId });
    }
  }
  return out.length ? out : undefined;
}

const lines = (values: string[]) => values.filter((v) => /^\d{1,9}$/.test(v)).map(Number);

/**
 * Lines to import although they look like duplicates: those ticked, plus those chosen earlier that
 * this form did not show (only the first rows of a large file are listed).
 */
export function forcedLines(form: Form, stored: number[] = []): number[] | undefined {
  const shown = new Set(lines(form.all('shown')));
  const ticked = lines(form.all('force'));
  const forced = [...new Set([...stored.filter((l) => !shown.has(l)), ...ticked])].sort((a, b) => a - b);
  const same = forced.length === stored.length && forced.every((l, i) => l === [...stored].sort((a, b) => a - b)[i]);
  return same ? undefined : forced;
}
