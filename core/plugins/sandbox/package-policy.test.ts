// What a manifest's `packages` open in the sandbox's import policy: the declared package and its
// dependencies (resolved as Node would), CommonJS inside them (their requires resolved with the
// "browser" condition), and nothing more: a plugin's own files stay ES modules only.
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { createImportPolicy } from './host/import-policy.ts';
import { packageDir } from './launch.ts';
import { declaredPackageRoots } from './package-roots.ts';

const root = resolve(import.meta.dirname, '../../..');
const url = (p: string) => pathToFileURL(p).href;

describe('manifest packages in the sandbox', () => {
  test('a declared package brings its dependencies, found from where it is installed', () => {
    const roots = declaredPackageRoots(root, ['plaid']);
    assert.deepEqual(roots.slice(0, 2), [packageDir(root, 'plaid'), packageDir(packageDir(root, 'plaid'), 'axios')]);
    assert.deepEqual(declaredPackageRoots(root, []), []);
    assert.throws(() => declaredPackageRoots(root, ['no-such-package-anywhere']), /not installed/);
  });

  const plugin = realpathSync(join(root, 'plugins/plaid'));
  const plaid = packageDir(root, 'plaid');
  const policy = createImportPolicy({ plugin, packages: declaredPackageRoots(root, ['plaid']) });

  test('CommonJS loads inside allowed packages, never from the plugin itself', () => {
    assert.doesNotThrow(() => policy.checkFormat(url(join(plaid, 'dist/index.js')), 'commonjs'));
    assert.doesNotThrow(() => policy.checkFormat(url(join(plaid, 'dist/api.js')), undefined));
    assert.doesNotThrow(() => policy.checkResolved(url(join(packageDir(plaid, 'axios'), 'dist/browser/axios.cjs')), 'axios'));
    assert.throws(() => policy.checkFormat(url(join(plugin, 'index.ts')), 'commonjs'), /only ES modules/);
    assert.throws(() => policy.checkResolved(url(join(plugin, 'thing.cjs')), './thing.cjs'), /only ES modules/);
    assert.throws(() => policy.checkResolved(url(join(root, 'node_modules/postgres/cjs/src/index.js')), 'postgres'), /outside the plugin/);
  });

  test("a package's require resolves with the browser condition; imports and the plugin's own code do not", () => {
    const req = ['require', 'node', 'node-addons'];
    assert.deepEqual(policy.conditionsFor(url(join(plaid, 'dist/api.js')), req), [...req, 'browser']);
    assert.equal(policy.conditionsFor(url(join(plaid, 'dist/api.js')), ['import', 'node']), null);
    assert.equal(policy.conditionsFor(url(join(plugin, 'index.ts')), req), null);
  });

  test('packages still reach only the builtins packages may', () => {
    assert.throws(() => policy.checkSpecifier('http', url(join(plaid, 'dist/api.js'))), /may not import node:http/);
    assert.throws(() => policy.checkSpecifier('node:net', url(join(plaid, 'dist/api.js'))), /may not import node:net/);
    assert.equal(policy.checkSpecifier('crypto', url(join(plaid, 'dist/api.js'))), 'node:crypto');
  });
});
