// Real browser tests: Debian's Chromium driven by playwright-core (no browser download).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_PASSWORD } from './users.ts';

const CANDIDATES = [process.env.MFF_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = CANDIDATES.find((p) => existsSync(p));
  if (!executablePath) throw new Error('Chromium not found: install Debian\'s chromium package (see .ci/run) or set MFF_CHROMIUM');
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page in `ctx`, signed in through the login form of the server at `base` (10 s default timeout). */
export async function signedIn(ctx: BrowserContext, base: string, email: string, password = DEFAULT_PASSWORD): Promise<Page> {
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('main button[type=submit]');
  await page.waitForURL(`${base}/`);
  return page;
}
