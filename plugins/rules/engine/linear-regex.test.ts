// "matches" patterns run on RE2 (re2js), in time linear in the text: a catastrophic pattern cannot
// hold the thread, everyday patterns match what JavaScript's `u`/`iu` regexes match, and what RE2
// cannot run (backreferences, lookaround) is refused when saved and skipped when found stored.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { compileRules, runRules, type RuleTxn } from './engine.ts';
import { linearRegex } from './linear-regex.ts';
import { RuleInputSchema, type Rule } from './schema.ts';

const txn = (payee: string): RuleTxn => ({
  id: 't1', accountId: 'a', date: '2024-03-15', amount: '-1.00', payee, description: null, notes: null, categoryId: null,
  categorySource: null, pfcPrimary: null, pfcDetailed: null, pending: false, tags: [], excluded: false, isTransfer: false,
});
const stored = (id: string, value: string): Rule => ({
  id, name: id, stage: 'default', match: 'all', enabled: true, position: 0,
  conditions: [{ field: 'payee', op: 'matches', value }], actions: [{ type: 'add_tag', value: id }],
});

describe('catastrophic patterns', () => {
  // Backtracking needs ~2^n steps for these on n "a"s and a final "!": astronomically long at
  // n = 20,000, while linear time is milliseconds. The run is in a worker so that a regression fails
  // at the deadline (a blocked thread could not be timed out) instead of hanging the tests.
  const CATASTROPHIC = ['^(a+)+$', '(a|aa)+$', '^(a|a?)+$', '^(\\w+\\s?)*$', '^(.*a){12}$'];
  it('run in linear time on the engine\'s path (rules run on every new transaction)', { timeout: 30_000 }, async () => {
    const worker = new Worker(`
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.engine).then(({ compileRules, runRules }) => {
        parentPort.postMessage(workerData.rules.map((r) => runRules(compileRules([r]), workerData.txn).fired));
      });`, { eval: true, workerData: { engine: new URL('./engine.ts', import.meta.url).href, rules: CATASTROPHIC.map((v) => stored(v, v)), txn: txn(`${'a'.repeat(20_000)}!`) } });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('still matching after 20 s: backtracking')), 20_000); });
    try {
      assert.deepEqual(await Promise.race([once(worker, 'message').then(([m]) => m), deadline]), CATASTROPHIC.map(() => []));
    } finally {
      clearTimeout(timer);
      await worker.terminate();
    }
  });

  it('are accepted (they can run in linear time) and match as before on short text', () => {
    for (const value of CATASTROPHIC) {
      const parsed = RuleInputSchema.safeParse({ name: 'x', conditions: [{ field: 'payee', op: 'matches', value }], actions: [{ type: 'exclude' }] });
      assert.ok(parsed.success, value);
      for (const text of ['aaaa', 'aaa!', 'a a']) {
        assert.deepEqual(runRules(compileRules([stored('r', value)]), txn(text)).fired, new RegExp(value, 'iu').test(text) ? ['r'] : [], `${value} on ${text}`);
      }
    }
  });
});

describe('the same matches as JavaScript regexes, for everyday patterns', () => {
  // Random patterns from pieces a payee rule might use (literals with case folding beyond ASCII,
  // classes, dots, digits, Unicode letters, astral characters, anchors, groups, alternation,
  // quantifiers), on short texts, case-insensitive and case-sensitive. Left out on purpose: \s, \w
  // and \b, which are ASCII in RE2 and Unicode-aware in some JavaScript modes (README).
  const atoms = ['a', 'b', 'S', 'k', 'ß', 'σ', 'é', '😀', '.', '\\d', '[a-c]', '[^a]', '[0-9]', '\\p{L}', '\\P{L}', '\\.', ' ', '-'];
  const texts = ['', 'a', 'A', 'ab', 'abc', 'S', 's', 'ſ', 'k', 'K', 'K', 'ß', 'ẞ', 'Σ', 'σ', 'ς', 'é', 'É', '😀', '😀😀', 'a😀b',
    '1', '12', 'a.b', 'a b', ' ', 'ab1 c', 'Abc 12', 'k.s', 'bss', 'UBER *TRIP', 'a-b'];
  const random = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  const rnd = random(11);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const quantified = (p: string) => p + (rnd() < 0.4 ? pick(['*', '+', '?', '{2}', '{1,3}', '*?', '{0,}']) : '');
  const sequence = (depth: number): string => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
    if (depth < 2 && rnd() < 0.2) return quantified(`(${sequence(depth + 1)}|${sequence(depth + 1)})`);
    return quantified(pick(atoms));
  }).join('');

  it('on 400 random patterns × 32 texts', () => {
    let checked = 0;
    for (let n = 0; n < 400; n++) {
      const src = `${rnd() < 0.3 ? '^' : ''}${sequence(0)}${rnd() < 0.3 ? '$' : ''}`;
      for (const cs of [false, true]) {
        const linear = linearRegex(src, cs);
        assert.ok(typeof linear !== 'string', `${src}: ${linear}`);
        const reference = new RegExp(src, cs ? 'u' : 'iu');
        for (const t of texts) {
          assert.equal(linear.test(t), reference.test(t), `/${src}/${cs ? 'u' : 'iu'} on ${JSON.stringify(t)}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 20_000);
  });
});

describe('patterns the linear engine cannot run', () => {
  const refused = (value: string, message: RegExp) => {
    const r = RuleInputSchema.safeParse({ name: 'x', conditions: [{ field: 'payee', op: 'contains', value: 'ok' }, { field: 'payee', op: 'matches', value }], actions: [{ type: 'exclude' }] });
    assert.equal(r.success, false, value);
    assert.match(r.error!.issues.map((i) => i.message).join('\n'), message);
  };
  it('are refused when saved, naming the condition', () => {
    refused('(a)\\1', /^conditions\[1\] \(payee matches\): cannot be run in linear time \(no backreferences or lookaround\)/);
    refused('(?<x>a)\\k<x>', /conditions\[1\] \(payee matches\): cannot be run in linear time/);
    refused('uber(?= eats)', /conditions\[1\] \(payee matches\): cannot be run in linear time/);
    refused('(?<!x)pay', /conditions\[1\] \(payee matches\): cannot be run in linear time/);
    refused('(unclosed', /conditions\[1\] \(payee matches\): invalid regular expression/);
  });

  it('are skipped when found stored (saved before the check), without stopping the other rules', () => {
    const set = compileRules([stored('backref', '(a)\\1'), stored('ok', '^uber')]);
    assert.deepEqual(set.skipped, [{ id: 'backref', condition: 0 }]);
    assert.deepEqual(runRules(set, txn('uber aa')).fired, ['ok']);
  });
});
