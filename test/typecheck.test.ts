// The whole repo typechecks (`npm run typecheck`): node runs the .ts files by stripping types, so
// nothing else would notice a type error.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { it } from 'node:test';

const root = resolve(import.meta.dirname, '..');

it('tsc --noEmit -p . reports no type errors', async () => {
  const child = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((res, rej) => {
    child.once('error', rej);
    child.once('close', (c) => res(c));
  });
  assert.equal(code, 0, `tsc found type errors:\n${out}`);
});
