// Plugin ids may extend one another ("tabs" and "tabs-more"). A sandboxed plugin's HTML may target
// only its own elements, "p-<id>-…"; beside tabs-more, "p-tabs-more-…" are tabs-more's, so the
// fragment guard refuses them to tabs — and lets tabs target them when no such plugin is installed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { availableModes, createTestKernel, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';

const fixtures = join(import.meta.dirname, '../fixtures');
const sandboxed = (await availableModes()).includes('sandboxed');

describe('element names of a plugin whose id extends another\'s', { skip: !sandboxed && 'no sandbox in this build' }, () => {
  let both: { t: TestKernel; s: TestSession };
  let alone: { t: TestKernel; s: TestSession };
  before(async () => {
    const boot = async (extra: boolean) => {
      const t = await createTestKernel({ plugins: [
        { dir: join(fixtures, 'tabs'), mode: 'sandboxed' },
        ...(extra ? [{ dir: join(fixtures, 'tabs-more'), mode: 'sandboxed' as const }] : []),
      ] });
      return { t, s: await t.signUp() };
    };
    both = await boot(true);
    alone = await boot(false);
  });
  after(async () => {
    await both?.t.close();
    await alone?.t.close();
  });

  test('beside tabs-more, tabs may not target #p-tabs-more-list; its own #p-tabs-list still passes', async () => {
    const foreign = await both.s.get('/p/tabs/targets?id=p-tabs-more-list', { 'hx-request': 'true' });
    assert.equal(foreign.status, 502, foreign.text.slice(0, 300));
    const own = await both.s.get('/p/tabs/targets?id=p-tabs-list', { 'hx-request': 'true' });
    assert.equal(own.status, 200, own.text.slice(0, 300));
    assert.match(own.text, /hx-target="#p-tabs-list"/);
    const theirs = await both.s.get('/p/tabs-more/', { 'hx-request': 'true' });
    assert.match(theirs.text, /<ul id="p-tabs-more-list">/, 'tabs-more names it freely');
  });

  test('without tabs-more installed, the same name is one of tabs\' own', async () => {
    const res = await alone.s.get('/p/tabs/targets?id=p-tabs-more-list', { 'hx-request': 'true' });
    assert.equal(res.status, 200, res.text.slice(0, 300));
  });
});
