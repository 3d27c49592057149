// The fragment guard reads HTML the way a browser does, so spelling tricks don't get past it, and
// the host confinement check refuses a plugin host that is not confined.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allowedSelector, guardHtml, withinPrefix } from './fragment-guard.ts';
import { checkConfinement } from './host-process.ts';

const refused = (html: string, pattern = /refused/) => assert.throws(() => guardHtml(html, 'goals'), pattern);

describe('fragment guard', () => {
  test('spellings of hx-swap-oob are all refused: case, data- prefix, unquoted, slash-separated', () => {
    refused('<div HX-SWAP-OOB="true">x</div>', /out of band/);
    refused('<div data-hx-swap-oob=true>x</div>', /out of band/);
    refused('<div/hx-swap-oob/id=nav>x</div>', /out of band/);
    refused("<div class='a' hx-select-oob='#nav'>x</div>", /out of band/);
  });

  test('entity-encoded URLs are decoded before they are checked; unknown entities fail closed', () => {
    refused('<button hx-post="&#x2f;households/x">go</button>', /outside \/p\/goals\//);
    refused('<button hx-post="/p/goals/&period;&period;/&period;&period;/logout">go</button>', /outside/);
    assert.equal(guardHtml('<a hx-get="/p/goals/list?a=1&amp;b=2">x</a>', 'goals'), '<a hx-get="/p/goals/list?a=1&amp;b=2">x</a>');
  });

  test('the prefix is checked after the browser normalizes the path', () => {
    assert.equal(withinPrefix('/p/goals/items', 'goals'), true);
    assert.equal(withinPrefix('/api/v1/goals/items', 'goals'), true);
    assert.equal(withinPrefix('/p/goals/../ledger/x', 'goals'), false);
    assert.equal(withinPrefix('/p/goals/%2e%2e/%2e%2e/logout', 'goals'), false);
    assert.equal(withinPrefix('/p/goals-evil/x', 'goals'), false);
    assert.equal(withinPrefix('//evil.example/p/goals/', 'goals'), false);
    assert.equal(withinPrefix('/p\\goals/x', 'goals'), false);
    assert.equal(withinPrefix('p/goals/x', 'goals'), false);
  });

  test('targets: this, find …, or the plugin’s own ids and classes', () => {
    for (const ok of ['this', 'find .row', '#p-goals-list', 'closest .p-goals-row', 'next #p-goals-x']) assert.equal(allowedSelector(ok, 'goals'), true, ok);
    for (const bad of ['#main', 'body', 'closest form', 'next', '#p-goals', '#p-goals-list, #main', '#p-goalsx-list']) assert.equal(allowedSelector(bad, 'goals'), false, bad);
  });

  test('beside a plugin whose id extends this one\'s, its element names are not this one\'s', () => {
    // "goals-shared" is installed too: #p-goals-shared-list is its element, though it starts "p-goals-".
    const reserved = ['goals-shared'];
    for (const ok of ['#p-goals-list', '.p-goals-sharedx', 'closest #p-goals-share-x']) assert.equal(allowedSelector(ok, 'goals', reserved), true, ok);
    for (const bad of ['#p-goals-shared-list', 'closest .p-goals-shared-row', 'next #p-goals-shared-']) assert.equal(allowedSelector(bad, 'goals', reserved), false, bad);
    assert.equal(allowedSelector('#p-goals-shared-list', 'goals'), true, 'alone, the name is goals\' own');
    assert.equal(allowedSelector('#p-goals-shared-list', 'goals-shared', []), true, 'and goals-shared keeps it');
    assert.throws(() => guardHtml('<button form="p-goals-shared-f" hx-target="#p-goals-list">Go</button>', 'goals', reserved), /form="p-goals-shared-f" may join/);
    assert.throws(() => guardHtml('<div hx-get="/p/goals/x" hx-target="#p-goals-shared-list"></div>', 'goals', reserved), /hx-target="#p-goals-shared-list"/);
    assert.doesNotThrow(() => guardHtml('<div hx-get="/p/goals/x" hx-target="#p-goals-list"></div><button form="p-goals-f">Go</button>', 'goals', reserved));
  });

  test('raw-text and foreign content go through a full HTML parser', () => {
    refused('<textarea></textarea><div hx-swap-oob="true">x</div>', /out of band/);
    refused('<title><a b="</title><div hx-swap-oob=true>x</div>">', /out of band/);
    assert.match(guardHtml('<svg viewBox="0 0 10 10"><path d="M0 0L10 10"/></svg>', 'goals'), /^<svg viewBox="0 0 10 10"><path d="M0 0L10 10"><\/path><\/svg>$/);
  });

  test('a submit control that inherits its method or target from its form cannot post outside the prefix', () => {
    // The review's two cases: a POST form lends its method to a formaction elsewhere; a GET form
    // elsewhere lends its action to a formmethod="post".
    refused('<form method="post" action="/p/goals/ok"><button formaction="/settings/household/members/U/role">Go</button></form>', /formaction="\/settings\/household\/members\/U\/role" may post outside \/p\/goals\//);
    refused('<form action="/settings/household/delete"><button formmethod="post">Go</button></form>', /formmethod="post" without a formaction under \/p\/goals\//);
    // Other submitters and spellings.
    refused('<form method="post" action="/p/goals/ok"><input type="submit" formaction="/logout"></form>', /may post outside/);
    refused('<form method="post" action="/p/goals/ok"><input type="image" src="/p/goals/i.svg" alt="go" FORMACTION="/logout"></form>', /may post outside/);
    refused('<form method="post" action="/p/goals/ok"><button type="submit" formaction="/p/goals/../../logout">Go</button></form>', /may post outside/);
    refused('<form action="/settings/household/delete"><button formmethod="PUT">Go</button></form>', /without a formaction/);
    refused('<form action="/settings/household/delete"><button formmethod="get" formmethod="post">Go</button></form>', /without a formaction/);
    // htmx: a form's hx-post lends its verb to a submitter's formaction.
    refused('<form hx-post="/p/goals/ok"><button formaction="/settings/household/delete">Go</button></form>', /may post outside/);
    // No form in the response: the button may be swapped into a plugin form that posts (or hx-select
    // may lift it out of the one it came in), so the method is unknown.
    refused('<button formaction="/settings/household/delete">Go</button>', /may post outside/);
    refused('<div id="p-goals-slot"><button type="submit" formmethod="delete">Go</button></div>', /without a formaction/);
    // form= naming a form the plugin does not own (a kernel form elsewhere on the page).
    refused('<button form="household-delete">Go</button>', /form="household-delete" may join a kernel form/);
    refused('<input type="hidden" name="role" value="owner" form="member-role">', /may join a kernel form/);
    refused('<button form="p-goalsx-f">Go</button>', /may join a kernel form/);
  });

  test('plugin forms that post to the prefix, and GET forms anywhere, still pass', () => {
    for (const html of [
      '<form method="post" action="/p/goals/ok"><input name="amount"><button>Save</button></form>',
      '<form method="post" action="/p/goals/ok"><button type="submit" formaction="/p/goals/other">Other</button><button formaction="/api/v1/goals/items" formmethod="post">API</button></form>',
      '<form hx-post="/p/goals/ok" hx-target="this"><button formaction="/p/goals/alt">Alt</button></form>',
      '<form action="/ledger/search"><input name="q"><button>Search</button><input type="submit" value="Go"></form>',
      '<form method="get" action="/ledger/search"><button formmethod="post" formaction="/p/goals/save">Save search</button><button formmethod="GET" formaction="/budgets">Budgets</button></form>',
      '<form method="post" action="/p/goals/ok"><button formmethod="get" formaction="/ledger">Ledger</button><button formmethod="dialog">Close</button></form>',
      '<form id="p-goals-edit" method="post" action="/p/goals/1"></form><button form="p-goals-edit">Save</button><input name="n" form="p-goals-edit">',
      '<button type="button" hx-post="/p/goals/1/deposit">+</button>',
    ]) assert.equal(guardHtml(html, 'goals'), html, html);
    refused('<form method="get" action="javascript:alert(1)"></form>', /script URLs/);
    refused('<button formmethod="get" formaction="//evil.example/x">Go</button>', /leaves the instance/);
  });

  test('ordinary markup passes unchanged', () => {
    const html = '<ul id="p-goals-list"><li><button hx-post="/p/goals/1/deposit" hx-target="closest .p-goals-row" hx-swap="outerHTML">+</button></li></ul>';
    assert.equal(guardHtml(html, 'goals'), html);
  });
});

describe('plugin host confinement check', () => {
  const confined = { permission: true, net: false, childProcess: false, addons: false, fsWrite: false, worker: true, envKeys: 0 };
  test('a confined host is accepted', () => assert.doesNotThrow(() => checkConfinement(confined)));
  for (const [field, value, why] of [
    ['permission', false, /permission model is off/],
    ['net', true, /network access is allowed/],
    ['childProcess', true, /child processes are allowed/],
    ['addons', true, /native addons are allowed/],
    ['fsWrite', true, /file writes are allowed/],
    ['envKeys', 3, /environment has 3 variables/],
  ] as const) {
    test(`a host where ${field} is ${value} is refused`, () => assert.throws(() => checkConfinement({ ...confined, [field]: value }), why));
  }
});
