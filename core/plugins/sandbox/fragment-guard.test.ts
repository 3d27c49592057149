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

  test('raw-text and foreign content go through a full HTML parser', () => {
    refused('<textarea></textarea><div hx-swap-oob="true">x</div>', /out of band/);
    refused('<title><a b="</title><div hx-swap-oob=true>x</div>">', /out of band/);
    assert.match(guardHtml('<svg viewBox="0 0 10 10"><path d="M0 0L10 10"/></svg>', 'goals'), /^<svg viewBox="0 0 10 10"><path d="M0 0L10 10"><\/path><\/svg>$/);
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
