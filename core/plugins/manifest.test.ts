// Manifests are validated before any plugin code runs, and each refusal names the file, the field
// (JSON pointer) and the rule.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ManifestError, loadManifest, parseManifest } from './manifest.ts';
import { startTestServer } from '../../test/support/server.ts';

const valid = { id: 'demo', version: '1.2.3', sdk: '^1.0.0', description: 'A demo plugin.' };
const FILE = 'plugins/demo/plugin.json';

function refusal(manifest: unknown, expect: { id?: string; mode?: 'in-process' | 'sandboxed' } = { id: 'demo' }): string[] {
  try {
    parseManifest(typeof manifest === 'string' ? manifest : JSON.stringify(manifest), FILE, expect);
  } catch (err) {
    assert.ok(err instanceof ManifestError, `expected a ManifestError, got ${err}`);
    assert.equal(err.file, FILE);
    assert.ok(err.message.startsWith(`${FILE}: invalid plugin manifest`), 'the message names the file first');
    return err.problems;
  }
  assert.fail('the manifest was accepted');
}

describe('plugin manifests', () => {
  test('a valid manifest is accepted', () => {
    const m = parseManifest(JSON.stringify({ ...valid, permissions: { net: ['api.example.com', '*.plaid.com', 'localhost:4010'], secrets: ['api_key'] } }), FILE, { id: 'demo' });
    assert.equal(m.id, 'demo');
  });

  test('a missing required field is named with its pointer and the rule', () => {
    const { sdk: _, ...noSdk } = valid;
    assert.deepEqual(refusal(noSdk), ['/sdk: is required (rule: required)']);
  });

  test('a version that is not semver', () => {
    assert.deepEqual(refusal({ ...valid, version: '1.0' }), ['/version: "1.0" must be a semantic version like 1.2.3 (rule: pattern)']);
  });

  test('an SDK range that excludes this SDK', () => {
    assert.deepEqual(refusal({ ...valid, sdk: '^2.0.0' }), [`/sdk: "^2.0.0" does not accept this mff's plugin-sdk 1.0.0 (rule: sdk compatibility)`]);
  });

  test('a public route that is not a plain path', () => {
    assert.ok(parseManifest(JSON.stringify({ ...valid, permissions: { publicRoutes: ['/webhook', '/events/*'] } }), FILE, { id: 'demo' }));
    const problems = refusal({ ...valid, permissions: { publicRoutes: ['https://x.example/webhook', '/../p/x'] } });
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^\/permissions\/publicRoutes\/0: "https:\/\/x.example\/webhook" must be a path such as "\/webhook"/);
    assert.match(problems[1], /^\/permissions\/publicRoutes\/1: .*\(rule: pattern\)$/);
  });

  test('a net permission written as a URL', () => {
    const problems = refusal({ ...valid, permissions: { net: ['api.example.com', 'https://evil.example/x'] } });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^\/permissions\/net\/1: "https:\/\/evil.example\/x" must be a host name .* \(rule: pattern\)$/);
  });

  test('an unknown field, at any depth', () => {
    assert.deepEqual(refusal({ ...valid, permissions: { network: ['x.com'] } }), ['/permissions/network: is not a known field (rule: additionalProperties)']);
  });

  test('an unknown slot', () => {
    assert.deepEqual(refusal({ ...valid, slots: ['home.card', 'sidebar'] }), [
      '/slots/1: must be one of "home.card", "account.tab", "settings.section", "nav" (rule: enum)',
    ]);
  });

  test('settings whose required names no property, and a default that breaks its own schema', () => {
    const problems = refusal({
      ...valid,
      settings: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, default: 0 } }, required: ['limits'] },
    });
    assert.deepEqual(problems, [
      '/settings/required/0: "limits" is not a property of /settings/properties (rule: required names a property)',
      '/settings/properties/limit/default: does not match its own schema (rule: valid default)',
    ]);
  });

  test('instance settings: checked like settings; secrets (writeOnly) only there, as strings without a default', () => {
    const problems = refusal({
      ...valid,
      settings: { type: 'object', properties: { token: { type: 'string', writeOnly: true } } },
      instanceSettings: {
        type: 'object',
        properties: { pin: { type: 'integer', writeOnly: true }, key: { type: 'string', writeOnly: true, default: 'x' }, mode: { type: 'date' } },
        required: ['secret'],
      },
    });
    assert.deepEqual(problems, [
      '/instanceSettings/properties/mode/type: must be one of "string", "number", "integer", "boolean" (rule: enum)',
    ]);
    const semantic = refusal({
      ...valid,
      settings: { type: 'object', properties: { token: { type: 'string', writeOnly: true } } },
      instanceSettings: { type: 'object', properties: { pin: { type: 'integer', writeOnly: true }, key: { type: 'string', writeOnly: true, default: 'x' } }, required: ['secret'] },
    });
    assert.deepEqual(semantic, [
      '/settings/properties/token/writeOnly: secret fields belong in /instanceSettings; a household\'s secrets are ctx.secrets (rule: secrets are instance settings)',
      '/instanceSettings/required/0: "secret" is not a property of /instanceSettings/properties (rule: required names a property)',
      '/instanceSettings/properties/pin/writeOnly: a secret field must be of type "string" (rule: secret is a string)',
      '/instanceSettings/properties/key/default: a secret field has no default (rule: no secret default)',
    ]);
    assert.doesNotThrow(() => parseManifest(JSON.stringify({ ...valid, instanceSettings: { type: 'object', properties: { key: { type: 'string', writeOnly: true } }, required: ['key'] } }), 'x/plugin.json', { id: 'demo' }));
  });

  test('an id that differs from the one mff.config.ts lists', () => {
    assert.deepEqual(refusal(valid, { id: 'other' }), ['/id: is "demo" but mff.config.ts lists this plugin as "other" (rule: matches config)']);
  });

  test('a mode the plugin does not support', () => {
    assert.deepEqual(refusal({ ...valid, modes: { supported: ['in-process'] } }, { id: 'demo', mode: 'sandboxed' }), [
      '/modes/supported: does not include "sandboxed", the mode mff.config.ts gives it (rule: supported mode)',
    ]);
  });

  test('a nav entry without the nav slot, and a plugin requiring its own service', () => {
    assert.deepEqual(refusal({ ...valid, nav: { label: 'Demo' }, provides: ['demo.x'], requires: ['demo.x'] }), [
      '/nav: a navigation entry needs "nav" in /slots (rule: slot declared)',
      '/requires: "demo.x" is also in /provides; a plugin cannot require its own service (rule: no self-dependency)',
    ]);
  });

  test('text that is not JSON', () => {
    const [problem] = refusal('{ "id": "demo", }');
    assert.match(problem, /^\/: is not valid JSON: .* \(rule: JSON syntax\)$/);
  });

  test('a missing plugin.json names the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mff-manifest-'));
    assert.throws(() => loadManifest(dir, { id: 'demo' }), (err: Error) => err instanceof ManifestError && err.message.includes(join(dir, 'plugin.json')));
  });

  test('the kernel refuses to start with an invalid manifest, before importing the plugin code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mff-bad-plugin-'));
    mkdirSync(join(dir, 'views'));
    writeFileSync(join(dir, 'plugin.json'), JSON.stringify({ ...valid, id: 'bad', permissions: { secrets: ['API KEY'] } }));
    // Importing this would throw a different error: the refusal must come first.
    writeFileSync(join(dir, 'index.ts'), "throw new Error('plugin code ran');\n");
    await assert.rejects(
      startTestServer({ config: { plugins: [{ id: 'bad', from: dir, mode: 'in-process' }] } }),
      (err: Error) => {
        assert.ok(err instanceof ManifestError, `got ${err.name}: ${err.message}`);
        assert.match(err.message, /plugin\.json: invalid plugin manifest:\n {2}\/permissions\/secrets\/0: "API KEY" must be a secret name.* \(rule: pattern\)/);
        return true;
      },
    );
  });
});
