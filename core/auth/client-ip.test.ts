// The client address behind trusted reverse proxies (MFF_TRUSTED_PROXIES): resolution, the
// setting's validation, and the login rate limit over real HTTP with and without the setting.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestClient } from '../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { signUp, uniqueEmail, type TestUser } from '../../test/support/users.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { resolveClientIp } from './client-ip.ts';
import { MAX_PER_IP, addressKey } from './rate-limit.ts';

describe('resolveClientIp', () => {
  it('an untrusted peer is the client, whatever X-Forwarded-For says', () => {
    assert.equal(resolveClientIp('198.51.100.7', '203.0.113.9', []), '198.51.100.7');
    assert.equal(resolveClientIp('198.51.100.7', '203.0.113.9', ['loopback', '10.0.0.0/8']), '198.51.100.7');
    assert.equal(resolveClientIp('127.0.0.1', '203.0.113.9', []), '127.0.0.1', 'unset: trust nobody');
  });

  it('behind a trusted peer, the right-most hop that is not trusted is the client', () => {
    assert.equal(resolveClientIp('127.0.0.1', '203.0.113.9', ['loopback']), '203.0.113.9');
    // Two proxies: the outer one (10.0.0.5) appended the client, the inner one (the peer) appended it.
    assert.equal(resolveClientIp('10.0.0.2', '203.0.113.9, 10.0.0.5', ['10.0.0.0/8']), '203.0.113.9');
    // Only the peer is trusted: the hop it names is the client, even if that hop is a proxy.
    assert.equal(resolveClientIp('10.0.0.2', '203.0.113.9, 10.0.0.5', ['10.0.0.2']), '10.0.0.5');
    // Every hop trusted: the furthest one known.
    assert.equal(resolveClientIp('10.0.0.2', '10.0.0.9, 10.0.0.5', ['10.0.0.0/8']), '10.0.0.9');
    // No header: the proxy itself.
    assert.equal(resolveClientIp('127.0.0.1', undefined, ['loopback']), '127.0.0.1');
  });

  it('entries left of the client (sent by the client itself) are ignored', () => {
    assert.equal(resolveClientIp('127.0.0.1', '1.1.1.1, 127.0.0.1, 203.0.113.9', ['loopback']), '203.0.113.9');
    assert.equal(resolveClientIp('10.0.0.2', '10.0.0.7,192.0.2.1,  203.0.113.9 , 10.0.0.5', ['10.0.0.0/8']), '203.0.113.9');
  });

  it('CIDR ranges, IPv6 and the named ranges', () => {
    assert.equal(resolveClientIp('172.16.4.1', '203.0.113.9', ['172.16.0.0/12']), '203.0.113.9');
    assert.equal(resolveClientIp('172.32.0.1', '203.0.113.9', ['172.16.0.0/12']), '172.32.0.1', 'just outside the range');
    assert.equal(resolveClientIp('10.1.2.3', '203.0.113.9', ['10.0.0.0/255.0.0.0']), '203.0.113.9', 'netmask form');
    assert.equal(resolveClientIp('2001:db8::1', '2001:db8:1::9, 2001:db8::77', ['2001:db8::/112']), '2001:db8:1::9');
    assert.equal(resolveClientIp('2001:db8::1', '2001:db8:1::9, 2001:db8:0:1::77', ['2001:db8::/112']), '2001:db8:0:1::77', 'outside the /112');
    assert.equal(resolveClientIp('::1', '2001:db8::5', ['loopback']), '2001:db8::5');
    assert.equal(resolveClientIp('127.8.9.10', '203.0.113.9', ['loopback']), '203.0.113.9', 'loopback is 127.0.0.0/8');
    for (const peer of ['10.9.8.7', '172.20.0.3', '192.168.1.10', 'fd12:3456::1']) {
      assert.equal(resolveClientIp(peer, '203.0.113.9', ['uniquelocal']), '203.0.113.9', peer);
    }
    for (const peer of ['169.254.10.1', 'fe80::1']) {
      assert.equal(resolveClientIp(peer, '203.0.113.9', ['linklocal']), '203.0.113.9', peer);
    }
    assert.equal(resolveClientIp('192.168.1.10', '203.0.113.9', ['loopback', 'linklocal']), '192.168.1.10', 'names do not overlap');
  });

  it('IPv4-mapped IPv6 addresses are matched and reported as IPv4', () => {
    assert.equal(resolveClientIp('::ffff:127.0.0.1', '203.0.113.9', ['loopback']), '203.0.113.9');
    assert.equal(resolveClientIp('::ffff:127.0.0.1', '::ffff:203.0.113.9', ['loopback']), '203.0.113.9');
    assert.equal(resolveClientIp('::FFFF:198.51.100.7', '203.0.113.9', []), '198.51.100.7');
    assert.equal(resolveClientIp('::ffff:10.0.0.2', '203.0.113.9, ::ffff:10.0.0.5', ['10.0.0.0/8']), '203.0.113.9');
  });

  it('a malformed header never throws and never yields a key of the sender\'s choosing', () => {
    const cases: [string, string][] = [
      ['', '127.0.0.1'],
      [' , ,, ', '127.0.0.1'],
      ['not an address', '127.0.0.1'],
      ['203.0.113.9:4711', '127.0.0.1'], // a port: not an address
      ['[2001:db8::5]', '127.0.0.1'],
      ['3232235777', '127.0.0.1'], // ipaddr.js reads this as 192.168.1.1; node:net does not
      ['0x7f000001', '127.0.0.1'], // nor is it a trusted loopback address in hex
      ['203.0.113.9, garbage', '127.0.0.1'],
      ['garbage, 203.0.113.9', '203.0.113.9'],
      ['x'.repeat(8000), '127.0.0.1'],
    ];
    for (const [header, expected] of cases) assert.equal(resolveClientIp('127.0.0.1', header, ['loopback']), expected, header.slice(0, 40));
    // Behind two proxies, garbage from the outer one falls back to that proxy, not to the peer.
    assert.equal(resolveClientIp('10.0.0.2', 'garbage, 10.0.0.5', ['10.0.0.0/8']), '10.0.0.5');
    assert.equal(resolveClientIp(undefined, '203.0.113.9', ['loopback']), 'unknown');
  });
});

describe('addressKey (what the per-address limit counts as one client)', () => {
  it('an IPv4 address is itself; an IPv6 address counts as its /64, however it is written', () => {
    assert.equal(addressKey('203.0.113.5'), '203.0.113.5');
    assert.equal(addressKey('::ffff:203.0.113.5'), '203.0.113.5', 'IPv4-mapped');
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:3::1'), '2001:db8:1:3::/64', 'the next /64 is another client');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('unknown'), 'unknown');
  });
});

describe('MFF_TRUSTED_PROXIES', () => {
  const root = mkdtempSync(join(tmpdir(), 'mff-trusted-proxies-')); // no mff.config.ts, no .env
  const load = (value?: string) => loadConfig(root, value === undefined ? {} : { MFF_TRUSTED_PROXIES: value });

  it('is a comma-separated list of addresses, ranges and names; unset or empty trusts nobody', async () => {
    assert.deepEqual((await load(' loopback, 10.0.0.0/8 ,192.0.2.7,2001:db8::/32,::1, uniquelocal,linklocal,')).MFF_TRUSTED_PROXIES, [
      'loopback', '10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '::1', 'uniquelocal', 'linklocal',
    ]);
    assert.deepEqual((await load()).MFF_TRUSTED_PROXIES, []);
    assert.deepEqual((await load('')).MFF_TRUSTED_PROXIES, []);
  });

  it('refuses start-up with a message naming each bad entry', async () => {
    const refused = async (value: string, message: RegExp) => {
      await assert.rejects(load(value), (err: Error) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.match(err.message, message);
        return true;
      });
    };
    await refused('loopback, 10.0.0.300', /MFF_TRUSTED_PROXIES: "10\.0\.0\.300" is not an IP address, a CIDR range \(10\.0\.0\.0\/8\) or one of loopback, linklocal, uniquelocal/);
    await refused('localhost', /"localhost" is not an IP address/);
    await refused('Loopback', /"Loopback" is not an IP address/);
    await refused('010.0.0.1', /"010\.0\.0\.1" is not an IP address/); // octal to ipaddr.js: would trust 8.0.0.1
    await refused('10.0.0/8', /"10\.0\.0\/8" is not an IP address/);
    await refused('10.0.0.0/33', /"10\.0\.0\.0\/33" has a bad prefix length/);
    await refused('::/0', /"::\/0" has a bad prefix length/);
    await refused('10.0.0.0/x', /"10\.0\.0\.0\/x" has a bad prefix length/);
    // Every bad entry is named, the good ones are not.
    await assert.rejects(load('bad-one, 127.0.0.1, 1.2.3.4/99'), (err: Error) => {
      assert.match(err.message, /"bad-one"/);
      assert.match(err.message, /"1\.2\.3\.4\/99"/);
      assert.doesNotMatch(err.message, /"127\.0\.0\.1"/);
      return true;
    });
  });
});

describe('login rate limit per client behind a proxy (real HTTP)', () => {
  let behindProxy: TestServer;
  let direct: TestServer;
  let bob: TestUser;
  let bobDirect: TestUser;
  const login = (server: TestServer, email: string, password: string, forwardedFor: string) =>
    new TestClient(server.baseUrl).api('POST', '/api/v1/auth/token', { email, password }, { headers: { 'x-forwarded-for': forwardedFor } });
  const attemptsFrom = async (server: TestServer) =>
    (await server.kernel.db.admin`select ip, count(*)::int as n from kernel.login_attempts group by ip order by ip`).map((r) => `${r.ip}: ${r.n}`);

  before(async () => {
    // The test client connects over loopback, so it plays the proxy and X-Forwarded-For is its to write.
    [behindProxy, direct] = await Promise.all([startTestServer({ config: { MFF_TRUSTED_PROXIES: ['loopback'] } }), startTestServer()]);
    bob = await signUp(new TestClient(behindProxy.baseUrl));
    bobDirect = await signUp(new TestClient(direct.baseUrl));
  });
  after(async () => {
    await Promise.all([behindProxy?.close(), direct?.close()]);
  });

  it('trusting loopback: one client exhausting its attempts does not lock out another', async () => {
    const attacker = '203.0.113.66';
    // Real wrong guesses (different accounts, so only the per-address limit applies), concurrently.
    const guesses = await Promise.all(Array.from({ length: MAX_PER_IP }, () => login(behindProxy, uniqueEmail('spray'), 'guess', attacker)));
    assert.deepEqual([...new Set(guesses.map((r) => r.status))], [401]);
    assert.deepEqual(await attemptsFrom(behindProxy), [`${attacker}: ${MAX_PER_IP}`]);

    // The attacker is now refused, even with the right password and a spoofed left-most entry.
    assert.equal((await login(behindProxy, bob.email, bob.password, attacker)).status, 429);
    assert.equal((await login(behindProxy, bob.email, bob.password, `198.51.100.1, ${attacker}`)).status, 429);
    // Another client through the same proxy is not.
    assert.equal((await login(behindProxy, bob.email, bob.password, '198.51.100.1')).status, 200);
    assert.equal((await login(behindProxy, bob.email, bob.password, `${attacker}, 198.51.100.2`)).status, 200);

    // The sign-in form resolves the client the same way.
    const form = async (forwardedFor: string) => {
      const browser = new TestClient(behindProxy.baseUrl);
      await browser.get('/login', { 'x-forwarded-for': forwardedFor });
      return (await browser.form('/login', { email: bob.email, password: bob.password }, { headers: { 'x-forwarded-for': forwardedFor } })).status;
    };
    assert.equal(await form(attacker), 429);
    assert.equal(await form('198.51.100.3'), 303);
  });

  it('an IPv6 client counts as its /64: guesses spread over its addresses share one limit', async () => {
    // Each guess from another address of one /64 (as a host that picks any address in its prefix).
    const guesses = await Promise.all(Array.from({ length: MAX_PER_IP }, (_, i) => login(behindProxy, uniqueEmail('spray6'), 'guess', `2001:db8:6:1::${(i + 1).toString(16)}`)));
    assert.deepEqual([...new Set(guesses.map((r) => r.status))], [401]);
    assert.ok((await attemptsFrom(behindProxy)).includes(`2001:db8:6:1::/64: ${MAX_PER_IP}`));
    assert.equal((await login(behindProxy, bob.email, bob.password, '2001:db8:6:1:ffff::99')).status, 429, 'a fresh address of the same /64');
    assert.equal((await login(behindProxy, bob.email, bob.password, '2001:db8:6:2::1')).status, 200, 'the next /64 is someone else');
  });

  it('without the setting, X-Forwarded-For is ignored: every request is the peer\'s', async () => {
    const guesses = await Promise.all(Array.from({ length: MAX_PER_IP }, (_, i) => login(direct, uniqueEmail('spray'), 'guess', `203.0.113.${i + 1}`)));
    assert.deepEqual([...new Set(guesses.map((r) => r.status))], [401]);
    assert.deepEqual(await attemptsFrom(direct), [`127.0.0.1: ${MAX_PER_IP}`]);
    assert.equal((await login(direct, bobDirect.email, bobDirect.password, '198.51.100.1')).status, 429);
  });
});
