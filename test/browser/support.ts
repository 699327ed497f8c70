import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { DEMO_TOTP_SECRET } from '../../src/cli/seed/demo';
import { totpCode } from '../../src/server/modules/accounts/accounts.totp';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Locator,
  type Page,
} from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIST = path.join(ROOT, 'web-dist');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
export const CHROMIUM = process.env.XINYONG_CHROMIUM || '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Debian's chromium, headless, with a fresh profile, nothing downloaded (TOOLCHAIN.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds web-dist/ unless it is newer than every source it is made of. */
export function ensureWebBuild(): { built: boolean; ms: number } {
  const index = path.join(WEB_DIST, 'index.html');
  const manifest = path.join(WEB_DIST, '.vite', 'manifest.json');
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'src', 'web')),
    newestMtime(path.join(ROOT, 'src', 'domain')),
    statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(index) && existsSync(manifest) && statSync(index).mtimeMs >= sources)
    return { built: false, ms: 0 };
  const t0 = Date.now();
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      // vitest runs with NODE_ENV=test, which would make Vite build React and antd in development mode.
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  return { built: true, ms: Date.now() - t0 };
}

/**
 * The distinctive part of a demo organisation's name, without the city before it and the company
 * form after it: a real user types part of a name, not all of it.
 */
export function nameCore(name: string): string {
  return name.replace(/^重庆(市)?/, '').replace(/(股份)?有限(责任)?公司$/, '');
}

/** Starts the app on a random local port; returns its base URL. */
export async function serve(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return `http://127.0.0.1:${addr.port}`;
}

/** A new context (zh-CN, downloads allowed) and page, with what the page reports as broken. */
export async function freshPage(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  const page = await ctx.newPage();
  return { ctx, page, problems: watchPage(page) };
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/**
 * Collects what the page reports as broken: script errors, failed CSP checks, React warnings.
 * Expected API refusals (401 before login, 4xx the test provokes) are not errors of the page.
 */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m: ConsoleMessage) => {
    const text = m.text();
    if (m.type() !== 'error') return;
    if (/Failed to load resource: the server responded with a status of (400|401|404|409|422)/.test(text))
      return;
    problems.push(`console.error: ${text}`);
  });
  return problems;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Logs in through the console's form on the way to `path` (the console sends a visitor to the login
 * page first); `totp` is the one-time code, for accounts that have one.
 */
export async function consoleLogin(
  page: Page,
  base: string,
  path: string,
  account: { username: string; password: string; totp?: string },
): Promise<void> {
  await page.goto(base + path);
  await page.waitForURL('**/console/login?next=*');
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByTestId('login-submit').click();
  if (account.totp !== undefined) {
    await page.getByTestId('login-totp').fill(account.totp);
    await page.getByTestId('login-submit').click();
  }
  await page.waitForURL(`**${path}`);
}

/**
 * Chooses the option of an antd Select (`select`: its root, where the test id sits) whose text
 * matches, typing `search` first to filter a long list, and waits until the select shows it. On the
 * loaded CI machine a click on the option of a dropdown that has just opened is now and then lost
 * (the list stays open, nothing chosen; seen in two scenarios), so it opens and clicks again, as a
 * person would. A multiple select's dropdown stays open afterwards.
 */
export async function chooseOption(
  page: Page,
  select: Locator,
  text: string | RegExp,
  search?: string,
): Promise<void> {
  const option = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
      hasText: text,
    })
    .first();
  // What the select shows as chosen: its content (single choice) or a tag (several).
  const chosen = select
    .locator('.ant-select-content-has-value, .ant-select-selection-item', { hasText: text })
    .first();
  for (let attempt = 1; ; attempt++) {
    if (!(await option.isVisible())) {
      await select.click();
      if (search !== undefined) await page.keyboard.type(search);
    }
    await option.click();
    if (
      await chosen.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    ) {
      if (attempt > 1) console.warn(`chooseOption: ${String(text)} needed ${attempt} clicks`);
      return;
    }
    if (attempt === 3) {
      await page.screenshot({ path: artifactPath('choose-option-failure.png'), fullPage: true });
      throw new Error(`could not choose ${String(text)}`);
    }
  }
}

/**
 * Checks a radio button or checkbox and makes sure it stays checked: the same lost clicks as in
 * chooseOption hit the outcome radios of a dialog just opened (the form then went out with its
 * default choice), so it clicks again until the control is checked.
 */
export async function checkControl(control: Locator): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await control.check().catch(() => undefined); // throws when the click did not take: try again
    if (await control.isChecked()) {
      if (attempt > 1) console.warn(`checkControl: needed ${attempt} clicks`);
      return;
    }
  }
  throw new Error('could not check the control');
}

const totpSteps = new Map<string, number>();

/**
 * A one-time code of `secret` that `account` has not used in this file: the server accepts each
 * step once per account, and a step behind one already used not at all, so successive logins
 * (a retried scenario, a second login of the same admin) take the next step of the acceptance
 * window, counted from the real clock the server runs on.
 */
export function freshTotp(account: string, secret = DEMO_TOTP_SECRET): string {
  const n = totpSteps.get(account) ?? 0;
  totpSteps.set(account, n + 1);
  return totpCode(secret, new Date(Date.now() + 30_000 * n));
}
