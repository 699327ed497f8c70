import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/cli/seed/demo';
import { makeUscc } from '../../src/domain/identifiers';
import { registerSubject } from '../../src/server/modules/subjects';
import { SYSTEM } from '../../src/server/platform/context';
import { withTransaction } from '../../src/server/platform/db';
import { buildApp } from '../../src/server/app';
import { createFieldCrypto } from '../../src/server/platform/crypto';
import { createTestDb, type TestDb } from '../support/db';
import { testConfig } from '../support/app';
import { bundleReport, kB, PORTAL_BUDGET_GZIP } from './bundle-size';
import {
  artifactPath,
  chooseOption,
  consoleLogin,
  ensureWebBuild,
  freshTotp,
  freshPage,
  HAS_CHROMIUM,
  launchChromium,
  median,
  nameCore,
  serve,
} from './support';

/**
 * The web app in Debian's chromium against the real server (in-process, random port) on a real
 * database seeded with the demo district. One browser, scenarios in sequence.
 */

if (!HAS_CHROMIUM)
  console.warn(
    '[browser tests] /usr/bin/chromium not found: skipped. Install with `apt-get install -y chromium fonts-noto-cjk` (.ci/run does).',
  );

const build = ensureWebBuild();

describe('web bundle', () => {
  it(`keeps the portal's initial JavaScript within ${kB(PORTAL_BUDGET_GZIP)} gzip`, () => {
    const r = bundleReport();
    console.log(
      `[web] initial JS ${kB(r.initial.gzip)} gzip (${r.initial.files.length} files), all JS ${kB(r.total.gzip)}` +
        (build.built ? `; built in ${(build.ms / 1000).toFixed(1)} s` : ''),
    );
    expect(r.initial.gzip).toBeLessThanOrEqual(PORTAL_BUDGET_GZIP);
    // The console and the charts must not be part of what the public downloads first.
    const initial = r.initial.files.join(' ');
    expect(initial).not.toMatch(/ConsoleApp|ScorecardCharts|CatalogItemsPage/);
    expect(r.lazy.some((l) => l.src.includes('ScorecardCharts'))).toBe(true);
  });
});

const DAY = 86_400_000;

interface Timing {
  /** The subject page rendered its data (performance mark), ms after navigation start. */
  ready: number;
  /** The HTML arrived, the entry script ran (DOMContentLoaded), the profile API call. */
  html: number;
  domContentLoaded: number;
  apiStart: number;
  apiEnd: number;
}

/** RFC 4180 enough for the templates: quoted cells, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Runs in the page. */
function readTiming(): Timing {
  const r = (n: number | undefined) => Math.round(n ?? -1);
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const api = performance
    .getEntriesByType('resource')
    .find((e) => e.name.includes('/api/v1/public/subjects/')) as PerformanceResourceTiming | undefined;
  return {
    ready: r(performance.getEntriesByName('xy:subject-ready')[0]?.startTime),
    html: r(nav?.responseEnd),
    domContentLoaded: r(nav?.domContentLoadedEventEnd),
    apiStart: r(api?.startTime),
    apiEnd: r(api?.responseEnd),
  };
}

interface Fixtures {
  org: { ref: string; name: string; uscc: string; initials: string; fragment: string; core: string };
  person: { ref: string; citizenId: string; masked: string };
}

describe.skipIf(!HAS_CHROMIUM)('web app in a real browser', () => {
  let db: TestDb;
  let app: FastifyInstance;
  let base = '';
  let browser: Browser;
  let fx: Fixtures;
  const perf: Record<string, unknown> = {};

  beforeAll(async () => {
    db = await createTestDb();
    const config = testConfig();
    const crypto = createFieldCrypto(config.fieldKey, config.blindIndexKey);
    const t0 = Date.now();
    // Seeded as of 40 days ago, so that the "as of" picker has a past to show.
    const summary = await seedDemo(db.pool, crypto, { scale: 0.05, now: new Date(Date.now() - 40 * DAY) });
    perf.seed = { ms: Date.now() - t0, subjects: summary.subjects, records: summary.records.created };

    // An organisation with licences or penalties, found three ways; a person found by ID number.
    const org = await db.pool.query<{ id: string; name: string; uscc: string; initials: string }>(
      `SELECT s.id, s.name, s.uscc, n.initials
         FROM subjects s JOIN subject_names n ON n.subject_id = s.id AND n.kind = 'current'
        WHERE s.type = 'ENTERPRISE'
          AND EXISTS (SELECT 1 FROM records r WHERE r.subject_id = s.id AND r.item_code IN ('XZXK', 'XZCF'))
        ORDER BY (SELECT count(*) FROM records r WHERE r.subject_id = s.id) DESC, s.id LIMIT 1`,
    );
    const person = await db.pool.query<{ id: string; id_cipher: Buffer; id_masked: string }>(
      `SELECT s.id, s.id_cipher, s.id_masked FROM subjects s
        WHERE s.type = 'NATURAL_PERSON' AND EXISTS (SELECT 1 FROM records r WHERE r.subject_id = s.id)
        ORDER BY s.id LIMIT 1`,
    );
    const o = org.rows[0];
    const p = person.rows[0];
    if (!o || !p)
      throw new Error('the demo seed has no organisation with licences/penalties or no person with records');
    // A middle part of the name: a real user types part of a name, not all of it.
    const core = nameCore(o.name);
    fx = {
      org: {
        ref: `S${o.id}`,
        name: o.name,
        uscc: o.uscc,
        initials: o.initials,
        fragment: core.slice(0, 4),
        core,
      },
      person: { ref: `S${p.id}`, citizenId: crypto.decrypt(p.id_cipher), masked: p.id_masked },
    };

    app = await buildApp({ config, pool: db.pool });
    base = await serve(app);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    writeFileSync(artifactPath('web-perf.json'), JSON.stringify(perf, null, 2));
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  const fresh = (viewport?: { width: number; height: number }) => freshPage(browser, viewport);

  it('finds an organisation by name (suggestions, keyboard), by code and by pinyin initials', async () => {
    const { ctx, page, problems } = await fresh();
    await page.goto(base + '/');
    await expect.poll(() => page.locator('[data-testid=stats]').innerText()).toMatch(/\d/);

    // Name: suggestions while typing, picked with the keyboard.
    const input = page.getByLabel('查询主体', { exact: true });
    await input.pressSequentially(fx.org.fragment, { delay: 40 });
    const suggestion = page.locator('[data-testid=suggestion]', { hasText: fx.org.name }).first();
    await suggestion.waitFor();
    const options = await page.locator('[data-testid=suggestion]').allInnerTexts();
    const index = options.findIndex((t) => t.startsWith(fx.org.name));
    for (let i = 0; i <= index; i++) await input.press('ArrowDown');
    await input.press('Enter');
    await page.waitForURL(`**/subjects/${fx.org.ref}`);
    await expect.poll(() => page.getByTestId('subject-name').innerText()).toBe(fx.org.name);

    // Code: Enter opens the results page with the exact match.
    await page.goto(base + '/');
    await page.getByLabel('查询主体', { exact: true }).fill(fx.org.uscc);
    await page.getByTestId('search-submit').click();
    await page.waitForURL('**/search?q=*');
    await page.getByTestId('result-link').filter({ hasText: fx.org.name }).click();
    await page.waitForURL(`**/subjects/${fx.org.ref}`);

    // Pinyin initials.
    await page.goto(`${base}/search?q=${fx.org.initials}`);
    await page.getByTestId('result-link').filter({ hasText: fx.org.name }).click();
    await page.waitForURL(`**/subjects/${fx.org.ref}`);
    await page.getByTestId('subject-loaded').waitFor();
    await expect.poll(() => page.getByRole('tab', { name: /行政许可/ }).count()).toBe(1);
    await expect.poll(() => page.getByRole('tab', { name: /行政处罚/ }).count()).toBe(1);
    expect(await page.getByTestId('record').count()).toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath('subject-page.png'), fullPage: true });

    // Every form field of the results page has a label.
    await page.goto(`${base}/search?q=${encodeURIComponent(fx.org.fragment)}`);
    await page.getByTestId('results').waitFor();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('main input:not([type=hidden])')]
        .filter((el) => {
          const i = el as HTMLInputElement;
          return !(i.labels?.length || i.getAttribute('aria-label') || i.getAttribute('aria-labelledby'));
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    expect(problems).toEqual([]);
    await ctx.close();
  }, 90_000);

  it('opens a subject page fast, and reproduces it as of a past date', async () => {
    const { ctx, page, problems } = await fresh();
    const url = `${base}/subjects/${fx.org.ref}`;
    const runs: Timing[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(url);
      await page.getByTestId('subject-loaded').waitFor();
      runs.push(await page.evaluate(readTiming));
    }
    const timings = runs.map((r) => r.ready);
    perf.subjectPage = {
      coldMs: Math.round(timings[0] as number),
      warmMedianMs: Math.round(median(timings.slice(1))),
      warm: runs.slice(1),
      loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      cpus: os.cpus().length,
    };

    // A cold visit over a slow link (1.6 Mbit/s, 150 ms RTT) in a new context with an empty cache.
    const slow = await browser.newContext();
    const sp = await slow.newPage();
    const cdp = await slow.newCDPSession(sp);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await sp.goto(url);
    await sp.getByTestId('subject-loaded').waitFor({ timeout: 30_000 });
    perf.subjectPageSlowLink = await sp.evaluate(readTiming);
    await slow.close();
    console.log(
      '[web] subject page',
      JSON.stringify(perf.subjectPage),
      'slow link',
      JSON.stringify(perf.subjectPageSlowLink),
    );
    // The target is 1.5 s; on a machine busy with other work (load > 2 per core) only gross
    // regressions fail, the figure is still recorded.
    const busy = (os.loadavg()[0] ?? 0) / os.cpus().length > 2;
    expect(median(timings.slice(1))).toBeLessThan(busy ? 5000 : 1500);

    // As of a past date: the URL carries it and the page says so; before the subject was known
    // the page says that instead; "back to today" drops the date.
    const past = new Date(Date.now() - 20 * DAY + 8 * 3600_000).toISOString().slice(0, 10);
    await page.goto(`${url}?at=${past}`);
    await page.getByTestId('as-of-banner').waitFor();
    expect(await page.getByTestId('as-of-banner').innerText()).toContain(past);
    await expect.poll(() => page.getByTestId('subject-name').innerText()).toBe(fx.org.name);
    await page.goto(`${url}?at=2020-01-01`);
    await expect.poll(() => page.getByText('该主体在 2020-01-01 尚未在平台登记').count()).toBe(1);
    await page.getByTestId('as-of-today').click();
    await page.waitForURL((u) => !u.search.includes('at='));
    await page.getByTestId('subject-loaded').waitFor();
    expect(problems).toEqual([]);
    await ctx.close();
  }, 90_000);

  it('searches as of a past date, leaving out a subject registered later, and opens results at it', async () => {
    const { ctx, page, problems } = await fresh();
    // Registered today, after the demo district (seeded 40 days ago); its name shares the
    // organisation's, so one query finds both now.
    const lateName = `重庆${fx.org.core}晚登记分公司`;
    const late = await withTransaction(db.pool, (tx) =>
      registerSubject(
        { db: tx, actor: SYSTEM, requestId: 'web-test', now: new Date() },
        app.platform.crypto,
        {
          uscc: makeUscc('91', '500103', 'MA7Y9W3K'),
          name: lateName,
          region: '500103',
          origin: 'registry',
        },
      ),
    );
    const past = new Date(Date.now() - 20 * DAY + 8 * 3600_000).toISOString().slice(0, 10);
    const names = async () => {
      await page.getByTestId('results').waitFor();
      return page.getByTestId('result-link').allInnerTexts();
    };

    // Now: both.
    await page.goto(`${base}/search?q=${encodeURIComponent(fx.org.core)}`);
    await expect.poll(names).toEqual(expect.arrayContaining([fx.org.name, lateName]));
    expect(await page.getByTestId('as-of-banner').count()).toBe(0);

    // Picking a past date puts it in the URL and leaves out the later subject.
    const picker = page.getByLabel('查看历史公示状态（截至某日）', { exact: true });
    await picker.click();
    await picker.fill(past);
    await picker.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('at') === past);
    await page.getByTestId('as-of-banner').waitFor();
    await expect.poll(names).not.toContain(lateName);
    expect(await names()).toContain(fx.org.name);

    // The date survives a reload (it is in the URL) and a new search from the box.
    await page.reload();
    await expect.poll(names).toContain(fx.org.name);
    expect(await names()).not.toContain(lateName);
    await page.getByLabel('查询主体', { exact: true }).fill(lateName);
    await page.getByTestId('search-submit').click();
    await page.waitForURL((u) => u.searchParams.get('q') === lateName && u.searchParams.get('at') === past);
    await page.getByTestId('as-of-banner').waitFor();
    await expect.poll(() => page.getByText('没有找到符合条件的主体', { exact: false }).count()).toBe(1);

    // Opening a result carries the date to the subject page.
    await page.goto(`${base}/search?q=${encodeURIComponent(fx.org.core)}&at=${past}`);
    await page.getByTestId('result-link').filter({ hasText: fx.org.name }).first().click();
    await page.waitForURL(
      (u) => u.pathname === `/subjects/${fx.org.ref}` && u.searchParams.get('at') === past,
    );
    await page.getByTestId('as-of-banner').waitFor();
    expect(await page.getByTestId('as-of-banner').innerText()).toContain(past);
    await expect.poll(() => page.getByTestId('subject-name').innerText()).toBe(fx.org.name);

    // The later subject's own page at that date says it was not registered yet.
    await page.goto(`${base}/subjects/S${late.id}?at=${past}`);
    await expect.poll(() => page.getByText(`该主体在 ${past} 尚未在平台登记`).count()).toBe(1);
    expect(problems).toEqual([]);
    await ctx.close();
  }, 90_000);

  it('shows the subject’s current list entries in a tab, and those of a past date', async () => {
    const { ctx, page, problems } = await fresh();
    // The demo lists subjects through the real procedure; one court entry ended 20 days after.
    const { rows } = await db.pool.query<{ subject_id: string; name: string; ended_at: Date | null }>(
      `SELECT e.subject_id, v.definition->>'nameZh' AS name, e.ended_at
         FROM list_entries e JOIN list_type_versions v ON v.code = e.list_type_code AND v.version = e.list_type_version
        WHERE e.stage = 'listed' AND e.published_at IS NOT NULL ORDER BY e.id`,
    );
    const active = rows.find((r) => r.ended_at === null);
    const ended = rows.find((r) => r.ended_at !== null);
    if (!active || !ended) throw new Error('the demo seed made no published or no ended list entry');
    const entries = page.getByTestId('subject-list-entry');

    await page.goto(`${base}/subjects/S${active.subject_id}?tab=lists`);
    await entries.first().waitFor();
    expect(await page.getByTestId('subject-lists').innerText()).toContain(active.name);
    expect(await page.getByRole('tab', { name: /名单信息 \(\d+\)/ }).count()).toBeGreaterThan(0);

    // The ended entry: gone today, shown as of a day while it was on the list.
    const onList = () =>
      page.getByTestId('subject-lists').getByRole('link', { name: ended.name, exact: true });
    await page.goto(`${base}/subjects/S${ended.subject_id}?tab=lists`);
    await page.getByTestId('subject-loaded').waitFor();
    // The tab's label carries the count once loaded (antd may render it twice: tab and overflow menu).
    await expect.poll(() => page.getByRole('tab', { name: /名单信息 \(\d+\)/ }).count()).toBeGreaterThan(0);
    expect(await onList().count()).toBe(0);
    const day = new Date((ended.ended_at as Date).getTime() - 5 * DAY + 8 * 3600_000)
      .toISOString()
      .slice(0, 10);
    await page.goto(`${base}/subjects/S${ended.subject_id}?tab=lists&at=${day}`);
    await page.getByTestId('as-of-banner').waitFor();
    await entries.first().waitFor();
    expect(await onList().count()).toBe(1);
    expect(problems).toEqual([]);
    await ctx.close();
  }, 60_000);

  it('switches to English and remembers it', async () => {
    const { ctx, page, problems } = await fresh();
    await page.goto(`${base}/subjects/${fx.org.ref}`);
    await page.getByTestId('subject-loaded').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByText('Disclosed information').count()).toBe(1);
    expect(await page.getByRole('tab', { name: /Administrative penalties/ }).count()).toBe(1);
    await page.reload();
    await page.getByTestId('subject-loaded').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('link', { name: 'Licences & penalties' }).count()).toBe(1);
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByText('公示信息').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await ctx.close();
  }, 60_000);

  it('finds a person only by full ID number and shows the number masked, also on a phone', async () => {
    const { ctx, page, problems } = await fresh({ width: 375, height: 800 });
    await page.goto(base + '/');
    await page.getByLabel('查询主体', { exact: true }).fill(fx.person.citizenId);
    await page.getByLabel('查询主体', { exact: true }).press('Enter');
    await page.waitForURL('**/search?q=*');
    await page.getByTestId('result-link').first().click();
    await page.waitForURL(`**/subjects/${fx.person.ref}`);
    const masked = page.getByTestId('masked-id');
    await masked.waitFor();
    expect(await masked.innerText()).toBe(fx.person.masked);
    expect(fx.person.masked).toMatch(/^\d{4}\*+[\dX]{4}$/);
    expect(await page.content()).not.toContain(fx.person.citizenId);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);
    await ctx.close();
  }, 60_000);

  // It used to fail now and then on the loaded CI machine at the poll for the form error: the click
  // on the category option had been lost, so the form never reached the server (chooseOption now
  // clicks again). Still retried once; a retry logs in with the next TOTP step (single-use).
  it(
    'shows the server’s catalogue checks next to the field, in the user’s language',
    { retry: 1, timeout: 120_000 },
    async () => {
      const { ctx, page, problems } = await fresh();
      // Administrators log in with a one-time code as well (the demo's authenticator secret).
      await consoleLogin(page, base, '/console/catalog', {
        username: 'admin',
        password: 'xinyong-admin-2026',
        totp: freshTotp('admin'),
      });

      // A field of a prohibited data category, and no legal basis at all.
      const submitBadItem = async (category: RegExp) => {
        await page.getByTestId('item-create').click();
        await page.getByTestId('item-code').fill('TEST_WEB_ITEM');
        await page.getByTestId('item-nameZh').fill('网页测试事项');
        await page.getByTestId('item-nameEn').fill('Web test item');
        await chooseOption(page, page.getByTestId('item-category'), category);
        await page.getByTestId('add-field').click();
        await page.getByTestId('field-key-4').fill('ZJXY');
        await page.getByTestId('field-title-4').fill('宗教信仰');
        await page.getByTestId('item-submit').click();
      };
      const basisErrors = page.getByTestId('legal-basis-errors');
      const titleError = page
        .getByTestId('field-row-4')
        .locator('.ant-form-item', { has: page.getByTestId('field-title-4') })
        .locator('.ant-form-item-explain-error');

      await submitBadItem(/行政管理信息/);
      await expect.poll(() => basisErrors.innerText()).toMatch(/必须列明法律/);
      await expect.poll(() => titleError.innerText()).toMatch(/禁止归集/);

      // The same checks in English once the user works in English.
      await page.keyboard.press('Escape');
      await page.getByTestId('item-submit').waitFor({ state: 'detached' });
      await page.getByTestId('lang-switch').click();
      await submitBadItem(/Administrative management/);
      await expect.poll(() => basisErrors.innerText()).toMatch(/needs a legal basis/);
      await expect.poll(() => titleError.innerText()).toMatch(/prohibited/i);
      await page.keyboard.press('Escape');
      await page.getByTestId('item-submit').waitFor({ state: 'detached' });
      await page.getByTestId('lang-switch').click();
      expect(problems).toEqual([]);

      // The console dashboard, for the artefacts.
      await page.goto(`${base}/console`);
      await page.getByTestId('console-dashboard').waitFor();
      await expect
        .poll(() =>
          page.getByTestId('console-dashboard').locator('.ant-statistic-content').first().innerText(),
        )
        .toMatch(/\d/);
      await page.screenshot({ path: artifactPath('console-dashboard.png'), fullPage: true });

      expect(problems).toEqual([]);
      await ctx.close();
    },
  );

  it('lets a department upload a CSV with bad rows, see why, and download them', async () => {
    const { ctx, page, problems } = await fresh();
    await consoleLogin(page, base, '/console/upload', { username: 'scjg', password: 'xinyong-demo-2026' });

    // A file in the department's own template: one good row, a wrong check character, an impossible date.
    const me = (await (await page.request.get(`${base}/api/v1/auth/me`)).json()) as {
      department: { name: string; uscc: string };
    };
    const template = parseCsv(
      (await (await page.request.get(`${base}/api/v1/catalog/items/XZCF/template.csv`)).text()).replace(
        /^\uFEFF/,
        '',
      ),
    );
    const header = template[0] as string[];
    const example = (template[2] as string[]).map((c) => c.replace('【示例】', ''));
    const row = (set: Record<string, string>) =>
      header.map((h, i) => (h in set ? set[h] : (example[i] ?? '')) as string);
    const own = {
      处罚机关: me.department.name,
      处罚机关统一社会信用代码: me.department.uscc,
      数据来源单位: me.department.name,
      数据来源单位统一社会信用代码: me.department.uscc,
    };
    const badUscc = fx.org.uscc.slice(0, 17) + (fx.org.uscc.endsWith('0') ? '1' : '0');
    const csv = [
      header,
      row({
        ...own,
        行政相对人名称: fx.org.name,
        统一社会信用代码: fx.org.uscc,
        行政处罚决定书文号: '网测罚〔2026〕1号',
        处罚决定日期: '2026-03-05',
      }),
      row({
        ...own,
        行政相对人名称: fx.org.name,
        统一社会信用代码: badUscc,
        行政处罚决定书文号: '网测罚〔2026〕2号',
        处罚决定日期: '2026-03-05',
      }),
      row({
        ...own,
        行政相对人名称: fx.org.name,
        统一社会信用代码: fx.org.uscc,
        行政处罚决定书文号: '网测罚〔2026〕3号',
        处罚决定日期: '2026-02-30',
      }),
    ]
      .map((r) => r.map(csvCell).join(','))
      .join('\r\n');

    await chooseOption(page, page.getByTestId('upload-item'), '(XZCF)');
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '处罚.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('upload-submit').click();

    const result = page.getByTestId('batch-result');
    await page.getByTestId('batch-errors').waitFor({ timeout: 30_000 });
    const stats = await result.locator('.ant-statistic-content').allInnerTexts();
    expect(stats.map((t) => Number(t.replace(/\D/g, '')))).toEqual([1, 0, 0, 2]);
    const errors = await page.getByTestId('batch-errors').locator('tbody tr').allInnerTexts();
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.join('\n')).toMatch(/统一社会信用代码|校验/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-rejected').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/rejected\.csv$/);
    const rejected = await readFile((await download.path()) as string, 'utf8');
    expect(rejected).toContain('网测罚〔2026〕2号');
    expect(rejected).toContain('网测罚〔2026〕3号');
    expect(rejected).not.toContain('网测罚〔2026〕1号');
    await page.screenshot({ path: artifactPath('console-upload.png'), fullPage: true });
    expect(problems).toEqual([]);
    await ctx.close();
  }, 90_000);
});
