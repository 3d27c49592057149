// A QIF file's categories (L lines) land on the household's own categories: matched by
// Group:Category or an unambiguous bare name, case-insensitively, set once when the row is inserted
// (category_source 'provider'). Names the household does not have are listed by the preview (API
// and page) and their rows stay uncategorized; transfers ([Account]) stay uncategorized too. A
// category the user chose by hand is never overwritten, by a re-import or by the rows delivered again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { confirmAndWait, createAccount, importKernel, upload } from './support.ts';

const record = (date: string, amount: string, payee: string, category?: string) =>
  `D${date}\nT${amount}\nP${payee}\n${category === undefined ? '' : `L${category}\n`}^\n`;

const QIF = '!Type:Bank\n' + [
  record('01/03/2024', '-52.10', 'Whole Foods', 'Food & Drink:Groceries'),
  record('01/04/2024', '-4.50', 'Blue Bottle', 'coffee'),
  record('01/05/2024', '-40.00', 'Shell', 'Auto:Fuel'),
  record('01/06/2024', '-25.00', 'Florist', 'Gifts'),
  record('01/07/2024', '-30.00', 'Vet', 'Pets/Household'),
  record('01/08/2024', '-500.00', 'To savings', '[Savings]'),
  record('01/09/2024', '-12.00', 'Garage', 'Parking'),
  record('01/10/2024', '-60.00', 'Dinner', 'food & drink:RESTAURANTS/Vacation'),
  record('01/11/2024', '-9.99', 'Gift shop', 'gifts'),
  record('01/12/2024', '2000.00', 'Employer', 'Income'),
  record('01/13/2024', '-3.00', 'Kiosk'),
].join('');

describe('QIF categories', () => {
  let t: TestKernel;
  let s: TestSession;
  let accountId: string;
  let ids: Record<string, string>;
  before(async () => {
    t = await importKernel();
    s = await t.signUp();
    accountId = await createAccount(t, s, 'Checking');
    // The ledger seeds a new household's categories on the kernel's household-created event.
    for (let i = 0; i < 100; i++) {
      const [seeded] = await t.asHousehold(s.householdId, (tx) => tx`select count(*)::int as n from ledger.categories`);
      if (seeded.n > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // A second "Parking" (the seed has Transportation › Parking): the bare name is then ambiguous.
    const travel = await t.asHousehold(s.householdId, (tx) => tx`select id from ledger.categories where name = 'Travel' and parent_id is null`);
    const made = await s.api('POST', '/api/v1/ledger/categories', { name: 'Parking', parentId: travel[0].id });
    assert.equal(made.status, 201, made.text);
    const rows = await t.asHousehold(s.householdId, (tx) => tx`
      select c.name, g.name as group_name, c.id from ledger.categories c left join ledger.categories g on g.id = c.parent_id`);
    ids = Object.fromEntries(rows.map((r) => [r.group_name ? `${r.group_name}:${r.name}` : r.name, r.id as string]));
  });
  after(() => t?.close());

  const categorized = () => t.asHousehold(s.householdId, (tx) => tx`
    select t.payee, t.category_id, t.category_source, t.id from ledger.transactions t where t.account_id = ${accountId} order by t.date, t.id`);

  it('the preview names what will not land; the rows land on the household\'s categories, the rest uncategorized', async () => {
    const up = await upload(s, { filename: 'quicken.qif', bytes: QIF, accountId });
    assert.equal(up.status, 201, up.text);
    const imp = up.json();
    assert.deepEqual(imp.preview.categories, {
      matched: 4,
      unknown: [{ name: 'Auto:Fuel', rows: 1, firstLine: 12 }, { name: 'Gifts', rows: 2, firstLine: 17 }, { name: 'Pets', rows: 1, firstLine: 22 }],
      ambiguous: [{ name: 'Parking', rows: 1, firstLine: 32, candidates: ['Transportation:Parking', 'Travel:Parking'] }],
      transfers: 1,
    });
    assert.equal(imp.preview.totals.toAdd, 11);

    const page = await s.get(`/p/import/imports/${imp.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /id="p-import-unknown-categories"><strong>3 categories not in this household:<\/strong>\s*Auto:Fuel, Gifts, Pets — those rows stay uncategorized;/);
    assert.match(page.text, /id="p-import-ambiguous-categories">[\s\S]*?Parking \(Transportation:Parking, Travel:Parking\)/);
    assert.match(page.text, /id="p-import-transfers"><strong>1<\/strong> row names another account/);
    assert.match(page.text, /<strong>4<\/strong> rows will get the category the file gives them/);

    const done = await confirmAndWait(t, s, imp.id);
    assert.equal(done.result.added, 11);
    const rows = await categorized();
    assert.deepEqual(rows.map((r) => [r.payee, r.category_id, r.category_source]), [
      ['Whole Foods', ids['Food & Drink:Groceries'], 'provider'],
      ['Blue Bottle', ids['Food & Drink:Coffee'], 'provider'],
      ['Shell', null, null],
      ['Florist', null, null],
      ['Vet', null, null],
      ['To savings', null, null],
      ['Garage', null, null],
      ['Dinner', ids['Food & Drink:Restaurants'], 'provider'],
      ['Gift shop', null, null],
      ['Employer', ids.Income, 'provider'],
      ['Kiosk', null, null],
    ]);
  });

  it('a file without categories has none in its preview', async () => {
    const up = await upload(s, { filename: 'plain.qif', bytes: `!Type:Bank\n${record('02/01/2024', '-1.00', 'Plain')}`, accountId });
    assert.equal(up.status, 201, up.text);
    assert.equal(up.json().preview.categories, null);
    assert.doesNotMatch((await s.get(`/p/import/imports/${up.json().id}`)).text, /p-import-categories/);
    assert.equal((await s.api('DELETE', `/api/v1/import/imports/${up.json().id}`)).status, 204);
  });

  it("the user's category survives a re-import of the file with other categories, and rows delivered again keep theirs", async () => {
    const rows = await categorized();
    const wholeFoods = rows.find((r) => r.payee === 'Whole Foods')!;
    const patched = await s.api('PATCH', `/api/v1/ledger/transactions/${wholeFoods.id}`, { categoryId: ids['Food & Drink:Coffee'] });
    assert.equal(patched.status, 200, patched.text);
    // The household now has Gifts: a file naming it again must not move rows inserted before.
    const gifts = await s.api('POST', '/api/v1/ledger/categories', { name: 'Gifts' });
    assert.equal(gifts.status, 201, gifts.text);

    // The same rows, the file now saying other things about them: duplicates, nothing moves.
    const edited = QIF.replace('LFood & Drink:Groceries', 'LFood & Drink:Restaurants').replace('Lcoffee', 'LGifts');
    const again = await upload(s, { filename: 'quicken-edited.qif', bytes: edited, accountId });
    assert.equal(again.status, 201, again.text);
    assert.deepEqual([again.json().preview.totals.toAdd, again.json().preview.totals.duplicates], [0, 11]);
    assert.deepEqual(again.json().preview.categories, { matched: 0, unknown: [], ambiguous: [], transfers: 0 });
    assert.equal((await confirmAndWait(t, s, again.json().id)).result.added, 0);

    // The first import's rows delivered to the ledger again (its job run once more from the start,
    // as after a crash right after the ledger's commit): modifications, which leave every category.
    const [first] = await t.asHousehold(s.householdId, (tx) => tx`select id from import.imports where filename = 'quicken.qif'`);
    await t.asHousehold(s.householdId, (tx) => tx`update import.imports set status = 'running', updated_at = now() - interval '1 hour',
      content = ${Buffer.from(QIF)} where id = ${first.id}`);
    await t.asHousehold(s.householdId, (tx) => tx`delete from ledger.source_cursors where source = 'import' and key = ${`import:${first.id}`}`);
    await t.runJob('import', 'run', s.householdId, { importId: first.id });
    assert.equal((await s.api('GET', `/api/v1/import/imports/${first.id}`)).json().status, 'done');

    const after = await categorized();
    assert.equal(after.length, 11);
    assert.deepEqual(after.map((r) => [r.payee, r.category_id, r.category_source]), rows.map((r) => (r.payee === 'Whole Foods'
      ? [r.payee, ids['Food & Drink:Coffee'], 'user']
      : [r.payee, r.category_id, r.category_source])));
  });
});
