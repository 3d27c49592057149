// The rules pages, as a browser without JavaScript uses them (form posts, redirects) and as htmx
// does (fragments swapped in place): the list with move up/down, the form with rows added and
// removed by posting it back, errors placed on the condition, prefill from a transaction, the test
// box, and apply-to-existing with its progress page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { createRule } from './helpers.ts';
import { insertTxn, seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
let s: TestSession;
let f: Fixtures;

before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
  s = await t.signUp();
  f = await seedLedger(t, s.householdId);
  await s.get('/p/rules/'); // the CSRF token for form posts
});
after(() => t?.close());

/** A form post with repeated fields (multi-selects), as a browser sends it. */
const post = (path: string, fields: [string, string][], htmx = false) =>
  s.client.request('POST', path, {
    body: new URLSearchParams([...fields, ['_csrf', s.client.csrf]]),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(htmx ? { 'hx-request': 'true', 'x-csrf-token': s.client.csrf } : {}) },
  });

const names = (html: string) => [...html.matchAll(/<tr id="rule-[^"]+"[^>]*>\s*<td>\d+<\/td>\s*<td>\s*<strong><a [^>]+>([^<]+)<\/a>/g)].map((m) => m[1]);

describe('the rules page without rules', () => {
  test('shows one empty state: no empty stages, no test box with nothing to test', async () => {
    const other = await t.signUp();
    const page = (await other.get('/p/rules/')).text;
    assert.match(page, /class="empty-state muted">No rules yet\./);
    assert.match(page, /href="\/p\/rules\/new">New rule</);
    assert.doesNotMatch(page, /No rules in this stage|id="stage-default"|Test a transaction/);
  });
});

describe('the rule form', () => {
  test('"Add condition" and "Remove" post the form back and show it with the rows changed, keeping what was typed', async () => {
    const base: [string, string][] = [['name', 'Coffee'], ['stage', 'default'], ['match', 'all'], ['enabled', 'on'],
      ['c0.kind', 'payee:contains'], ['c0.value', 'bean'], ['a0.type', 'add_tag'], ['a0.value', 'coffee']];
    const added = await post('/p/rules/new', [...base, ['_op', 'add_condition']]);
    assert.equal(added.status, 200);
    assert.match(added.text, /<h1>New rule<\/h1>/); // the whole page without htmx
    assert.match(added.text, /name="c0.value" value="bean"/);
    assert.match(added.text, /name="c1.kind"/);
    assert.match(added.text, /name="a0.value" value="coffee"/);

    const withHtmx = await post('/p/rules/new', [...base, ['c1.kind', 'amount:less'], ['c1.value', '0'], ['_op', 'remove_condition:0']], true);
    assert.equal(withHtmx.status, 200);
    assert.doesNotMatch(withHtmx.text, /<h1>/); // just the form, swapped in place
    assert.match(withHtmx.text, /^<form id="rule-form"/m);
    assert.doesNotMatch(withHtmx.text, /name="c1.kind"/);
    assert.match(withHtmx.text, /<option value="amount:less" selected>/);
    assert.match(withHtmx.text, /name="c0.value" value="0"/);

    const action = await post('/p/rules/new', [...base, ['_op', 'add_action']]);
    assert.match(action.text, /name="a1.type"/);
  });

  test('changing a condition\'s kind re-renders the row with the matching value field', async () => {
    const res = await post('/p/rules/new', [['name', 'x'], ['c0.kind', 'account:is'], ['a0.type', 'exclude'], ['_op', 'refresh']], true);
    assert.match(res.text, /<select name="c0.ids" multiple/);
    assert.match(res.text, new RegExp(`<option value="${f.checking}">Checking</option>`));
  });

  test('a malformed condition is refused with the message on that condition (422 without JS)', async () => {
    const fields: [string, string][] = [['name', 'Bad'], ['c0.kind', 'payee:contains'], ['c0.value', 'ok'], ['c1.kind', 'payee:matches'], ['c1.value', '(unclosed'],
      ['c2.kind', 'amount:between'], ['c2.value', '10'], ['c2.max', '5'], ['a0.type', 'set_category'], ['a0.categoryId', ''], ['_op', 'save']];
    const res = await post('/p/rules/new', fields);
    assert.equal(res.status, 422);
    // Without JavaScript the answer is the page the browser shows: inside the kernel layout
    // (document, styles, navigation), with the messages.
    assert.match(res.text, /^<!doctype html>/);
    assert.match(res.text, /<link rel="stylesheet" href="\/static\/app\.css[^"]*">/);
    assert.match(res.text, /<nav>[\s\S]*<a href="\/p\/rules\/"/);
    assert.match(res.text, /Condition 2: invalid regular expression/);
    assert.match(res.text, /Condition 3: max must not be less than value/);
    assert.match(res.text, /Action 1: choose a category/);
    assert.doesNotMatch(res.text, /Condition 1:/);
    const htmx = await post('/p/rules/new', fields, true);
    assert.equal(htmx.status, 200, 'htmx swaps the corrected form only on a 2xx');
    assert.match(htmx.text, /Condition 2: invalid regular expression/);
    assert.doesNotMatch(htmx.text, /<!doctype html>|<nav>/, 'htmx gets the form alone');
    assert.equal((await s.api('GET', '/api/v1/rules')).json().rules.length, 0);
  });

  test('saving creates the rule (303 to the list without JS; HX-Redirect with htmx); editing changes it', async () => {
    const res = await post('/p/rules/new', [['name', 'Groceries by account'], ['stage', 'post'], ['match', 'any'], ['enabled', 'on'],
      ['c0.kind', 'account:is'], ['c0.ids', f.checking], ['c0.ids', f.card], ['c1.kind', 'payee:contains'], ['c1.value', 'market'], ['c1.cs', 'on'],
      ['a0.type', 'set_category'], ['a0.categoryId', f.groceries], ['_op', 'save']]);
    assert.equal(res.status, 303);
    assert.equal(res.location, '/p/rules/');
    const [rule] = (await s.api('GET', '/api/v1/rules')).json().rules;
    assert.equal(rule.name, 'Groceries by account');
    assert.equal(rule.stage, 'post');
    assert.equal(rule.match, 'any');
    assert.deepEqual(rule.conditions, [{ field: 'account', op: 'is', value: [f.checking, f.card] }, { field: 'payee', op: 'contains', value: 'market', caseSensitive: true }]);
    assert.deepEqual(rule.actions, [{ type: 'set_category', categoryId: f.groceries }]);

    const edit = await s.get(`/p/rules/${rule.id}/edit`);
    assert.equal(edit.status, 200);
    assert.match(edit.text, /name="name" value="Groceries by account"/);
    assert.match(edit.text, new RegExp(`<option value="${f.card}" selected>`));
    const saved = await post(`/p/rules/${rule.id}/edit`, [['name', 'Renamed'], ['stage', 'post'], ['match', 'all'],
      ['c0.kind', 'payee:contains'], ['c0.value', 'market'], ['a0.type', 'add_tag'], ['a0.value', 'food'], ['_op', 'save']], true);
    assert.equal(saved.status, 200);
    assert.equal(saved.headers.get('hx-redirect'), '/p/rules/');
    const after = (await s.api('GET', `/api/v1/rules/${rule.id}`)).json();
    assert.equal(after.name, 'Renamed');
    assert.equal(after.enabled, false, 'an unticked switch disables the rule');
    assert.deepEqual(after.actions, [{ type: 'add_tag', value: 'food' }]);
    await s.api('DELETE', `/api/v1/rules/${rule.id}`);
  });
});

describe('the rules list', () => {
  test('move up/down works as a plain form post and as an htmx swap of the list', async () => {
    const a = await createRule(s, { name: 'Alpha', conditions: [{ field: 'payee', op: 'contains', value: 'a' }], actions: [{ type: 'add_tag', value: 'a' }] });
    const b = await createRule(s, { name: 'Bravo', conditions: [{ field: 'payee', op: 'contains', value: 'b' }], actions: [{ type: 'add_tag', value: 'b' }] });
    await createRule(s, { name: 'Zulu', stage: 'pre', conditions: [{ field: 'payee', op: 'contains', value: 'z' }], actions: [{ type: 'add_tag', value: 'z' }] });
    let page = await s.get('/p/rules/');
    assert.deepEqual(names(page.text), ['Zulu', 'Alpha', 'Bravo']);
    assert.match(page.text, new RegExp(`aria-label="Move Zulu up" disabled`));

    const plain = await s.form(`/p/rules/${b.id}/move`, { direction: 'up' });
    assert.equal(plain.status, 303);
    page = await s.get('/p/rules/');
    assert.deepEqual(names(page.text), ['Zulu', 'Bravo', 'Alpha']);

    const swapped = await post(`/p/rules/${b.id}/move`, [['direction', 'down']], true);
    assert.equal(swapped.status, 200);
    assert.match(swapped.text, /^<section id="rules-list">/);
    assert.deepEqual(names(swapped.text), ['Zulu', 'Alpha', 'Bravo']);

    const off = await post(`/p/rules/${a.id}/toggle`, [['enabled', 'false']], true);
    assert.match(off.text, /Alpha<\/a><\/strong>\s*<small>\(disabled\)<\/small>/);
  });

  test('the test box shows which rules fire and what changes; the fired count shows after an apply', async () => {
    const txn = await insertTxn(t, s.householdId, { accountId: f.card, payee: 'Bravo Burgers', amount: '-12.00' });
    const res = await post('/p/rules/try', [['transactionId', txn]], true);
    assert.equal(res.status, 200);
    assert.match(res.text, /^<article id="try">/);
    assert.match(res.text, /<ol class="fired-rules"><li><a [^>]+>Bravo<\/a><\/li><\/ol>/);
    assert.match(res.text, /<td>Tags<\/td><td>—<\/td><td><strong>b<\/strong><\/td>/);
    const sample = await s.form('/p/rules/try', { transactionId: '', payee: 'nothing here', amount: '-1', date: '2024-01-01', description: '' });
    assert.equal(sample.status, 200);
    assert.match(sample.text, /<strong>No rule fires<\/strong>/);
    const bad = await s.form('/p/rules/try', { transactionId: '', payee: 'x', amount: 'lots', date: '', description: '' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /type a sample with an amount/);
  });

  test('a viewer sees the rules without controls they could not use, and can still use the test box', async () => {
    await createRule(s, { conditions: [{ field: 'payee', op: 'contains', value: 'viewer-visible' }], actions: [{ type: 'add_tag', value: 'seen' }] });
    const viewer = await t.join(s, 'viewer');
    const page = await viewer.get('/p/rules/');
    assert.equal(page.status, 200);
    assert.match(page.text, /viewer-visible/);
    assert.doesNotMatch(page.text, /New rule<\/a>|\/move"|\/toggle"|\/delete"|Apply all rules/);
    assert.match((await s.get('/p/rules/')).text, /New rule<\/a>[\s\S]*\/toggle"/, 'an owner sees them');
    const tried = await viewer.get('/p/rules/try?transactionId=&payee=viewer-visible%20shop&amount=-1&date=2024-01-01&description=', { 'hx-request': 'true' });
    assert.equal(tried.status, 200, tried.text);
    assert.match(tried.text, /^<article id="try">[\s\S]*seen/);
    const api = await viewer.api('POST', '/api/v1/rules/test', { transaction: { payee: 'viewer-visible', amount: '-1', date: '2024-01-01' } });
    assert.equal(api.status, 200, api.text);
    assert.equal((await viewer.api('POST', '/api/v1/rules/preview', {})).status, 200, 'dry runs are open to viewers (declared role viewer)');
    const create = await viewer.api('POST', '/api/v1/rules', { name: 'nope', conditions: [{ field: 'payee', op: 'contains', value: 'x' }], actions: [{ type: 'exclude' }] });
    assert.equal(create.status, 403, 'writes are not');
    assert.equal((await viewer.api('POST', '/api/v1/rules/apply', {})).status, 403);
  });

  test("times on the rules page are the household's wall-clock time", async () => {
    const far = await t.signUp({ household: { timeZone: 'Pacific/Kiritimati' } });
    await createRule(far, { conditions: [{ field: 'payee', op: 'contains', value: 'x' }], actions: [{ type: 'exclude' }] });
    const started = await far.api('POST', '/api/v1/rules/apply', {});
    assert.equal(started.status, 202, started.text);
    const page = await far.get('/p/rules/');
    const shown = page.text.match(/<time datetime="([^"]+)">(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) ([^<]+)<\/time>/);
    assert.ok(shown, 'the recent run is listed with its time');
    assert.equal(shown[3], 'GMT+14');
    const utcHour = new Date(shown[1]).getUTCHours();
    assert.equal(Number(shown[2].slice(11, 13)), (utcHour + 14) % 24);
  });

  test('"Create a rule from this transaction" prefills the form from it', async () => {
    const txn = await insertTxn(t, s.householdId, { accountId: f.card, payee: 'Blue Bottle Coffee', amount: '-4.50', categoryId: f.dining });
    const res = await s.get(`/p/rules/new?from=${txn}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /name="name" value="Blue Bottle Coffee"/);
    assert.match(res.text, /<option value="payee:contains" selected>/);
    assert.match(res.text, /name="c0.value" value="Blue Bottle Coffee"/);
    assert.match(res.text, new RegExp(`<select name="c1.ids"[^>]*>[\\s\\S]*<option value="${f.card}" selected>Visa`));
    assert.match(res.text, /<option value="out" selected>/);
    assert.match(res.text, new RegExp(`<option value="${f.dining}" selected>Food and Drink › Restaurants`));
    const missing = await s.get('/p/rules/new?from=00000000-0000-4000-8000-000000000009');
    assert.equal(missing.status, 404);
  });

  test('apply to existing: the preview page, confirm, and the progress page', async () => {
    const preview = await s.get('/p/rules/apply');
    assert.equal(preview.status, 200);
    const count = Number(preview.text.match(/<p id="preview-count"><strong>(\d+)<\/strong>/)![1]);
    assert.ok(count > 0);
    const started = await s.form('/p/rules/apply', { rule: '', from: '', to: '', previewed: String(count) });
    assert.equal(started.status, 303);
    const runId = started.location!.split('/').pop()!;
    const run = (await s.api('GET', `/api/v1/rules/runs/${runId}`)).json();
    await t.waitForJob(s.householdId, run.jobId);
    const page = await s.get(started.location!);
    assert.match(page.text, /<strong class="run-status">done<\/strong>/);
    assert.match(page.text, new RegExp(`<strong class="run-changed">${count}</strong> changed \\(the preview said ${count}\\)`));
    const fragment = await s.get(started.location!, { 'hx-request': 'true' });
    assert.match(fragment.text, /^<% const|^\s*<article id="run"/m);
    assert.doesNotMatch(fragment.text, /hx-trigger="every 1s"/, 'a finished run stops polling');
    const list = await s.get('/p/rules/');
    assert.match(list.text, /<span class="fired-count">[1-9]\d*<\/span>/);
  });
});
