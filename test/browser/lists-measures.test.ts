import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/cli/seed/demo';
import { civilDate } from '../../src/domain/periods';
import { buildApp } from '../../src/server/app';
import { createUser } from '../../src/server/modules/accounts';
import { createListType, SEED_LIST_TYPES } from '../../src/server/modules/lists';
import { SYSTEM } from '../../src/server/platform/context';
import { createFieldCrypto } from '../../src/server/platform/crypto';
import { withTransaction } from '../../src/server/platform/db';
import { createTestDb, type TestDb } from '../support/db';
import { testConfig } from '../support/app';
import {
  artifactPath,
  chooseOption,
  consoleLogin,
  ensureWebBuild,
  freshPage,
  HAS_CHROMIUM,
  launchChromium,
  nameCore,
  serve,
} from './support';

/**
 * Issue 5's pages in Debian's chromium against the real server and the demo district: the public
 * lists (search, an entry with its basis and period), the measures inventory with its legal bases,
 * the listing procedure on the console (propose, notify, decide) with the subject following every
 * step and stating its case on its own entries page, a statement period that ran out (the server's
 * clock moved past its deadline), and a non-public list that never shows on the public pages.
 *
 * The scenarios run in order on one database: the procedure's entry is the one the public page then
 * shows, and the clock moves forward only from the period scenario on.
 */

ensureWebBuild();

const DAY = 86_400_000;
const PASSWORD = 'xinyong-test-2026';
const OFFICER = { username: 'scjg', password: 'xinyong-demo-2026' };
const SUBJECT = { username: 'list-subject', password: PASSWORD };
const SERIOUS = { code: 'SAMR_SERIOUS_VIOLATION', name: '市场监督管理严重违法失信名单' };
const ABNORMAL = { code: 'SAMR_BUSINESS_ABNORMAL', name: '经营异常名录' };
const INTERNAL = { code: 'SAMR_KEY_ATTENTION_INTERNAL', name: '市场监管重点关注名单（内部）' };

interface Org {
  id: number;
  name: string;
  uscc: string;
}

interface Entry {
  id: number;
  stage: string;
  notice: { statementDeadline: string | null } | null;
}

describe.skipIf(!HAS_CHROMIUM)('lists and measures in a real browser', () => {
  let db: TestDb;
  let app: FastifyInstance;
  let base = '';
  let browser: Browser;
  /** The server's clock runs this far ahead of the wall clock (the period scenario moves it). */
  let ahead = 0;
  let subject: Org & { fragment: string };
  let lapsing: Entry;
  let internal: Entry;

  /** Signs in through the API (for set-up steps the scenarios do not show). */
  async function apiAs(account: { username: string; password: string }) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: account });
    if (res.statusCode !== 200) throw new Error(`login ${account.username}: ${res.body}`);
    const c = res.cookies.find((x) => x.name === 'xy_session');
    const headers = { cookie: `xy_session=${c?.value}`, 'x-csrf-token': res.json().csrfToken as string };
    return async (url: string, payload: Record<string, unknown>): Promise<LightMyRequestResponse> => {
      const r = await app.inject({ method: 'POST', url, headers, payload });
      if (r.statusCode >= 300) throw new Error(`${url}: ${r.body}`);
      return r;
    };
  }

  beforeAll(async () => {
    db = await createTestDb();
    const config = testConfig();
    const crypto = createFieldCrypto(config.fieldKey, config.blindIndexKey);
    await seedDemo(db.pool, crypto, { scale: 0.05, now: new Date(Date.now() - 40 * DAY) });

    // An organisation on no list yet; its account follows its entries.
    const o = (
      await db.pool.query<Org>(
        `SELECT s.id::int4 AS id, s.name, s.uscc FROM subjects s
          WHERE s.type = 'ENTERPRISE' AND s.uscc IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM list_entries e WHERE e.subject_id = s.id)
            AND NOT EXISTS (SELECT 1 FROM list_entry_parties p WHERE p.subject_id = s.id)
          ORDER BY s.id LIMIT 1`,
      )
    ).rows[0];
    if (!o) throw new Error('no organisation without list entries in the demo');
    subject = { ...o, fragment: nameCore(o.name).slice(0, 4) };

    const now = new Date();
    const abnormal = SEED_LIST_TYPES.find((l) => l.code === ABNORMAL.code);
    if (!abnormal) throw new Error('no business-abnormal list type');
    await withTransaction(db.pool, async (tx) => {
      const ctx = { db: tx, actor: SYSTEM, requestId: 'browser-setup', now };
      await createUser(ctx, {
        username: SUBJECT.username,
        displayName: subject.name,
        password: PASSWORD,
        roles: ['subject'],
        subjectId: subject.id,
      });
      // A list kept inside the administration: its entries are never published.
      await createListType(ctx, {
        ...abnormal,
        code: INTERNAL.code,
        nameZh: INTERNAL.name,
        nameEn: 'Market supervision key attention (internal)',
        kind: 'key_attention',
        public: false,
      });
    });

    app = await buildApp({ config, pool: db.pool, clock: () => new Date(Date.now() + ahead) });
    base = await serve(app);

    // Two more entries on the subject, made through the API before any scenario: one whose
    // statement period will run out, and one decided on the non-public list (the subject waived).
    const officer = await apiAs(OFFICER);
    const proposeAndNotify = async (listType: string, n: number): Promise<Entry> => {
      const e = (
        await officer('/api/v1/list-entries', {
          listType,
          subject: subject.uscc,
          summary: `浏览器测试事实 ${n}`,
          facts: [{ docNo: `渝中市监浏览器〔2026〕${n}号`, title: '责令改正通知书' }],
        })
      ).json() as Entry;
      return (
        await officer(`/api/v1/list-entries/${e.id}/notify`, {
          noticeNo: `渝中市监告〔2026〕${n}号`,
          repairNoticeNo: `渝中市监修〔2026〕${n}号`,
        })
      ).json() as Entry;
    };
    lapsing = await proposeAndNotify(ABNORMAL.code, 901);
    internal = await proposeAndNotify(INTERNAL.code, 902);
    await (
      await apiAs(SUBJECT)
    )(`/api/v1/list-entries/${internal.id}/statement`, { waived: true });
    internal = (
      await officer(`/api/v1/list-entries/${internal.id}/decision`, {
        outcome: 'list',
        decisionNo: '渝中市监关注〔2026〕902号',
        reasons: '符合列入条件',
      })
    ).json() as Entry;

    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  const fresh = () => freshPage(browser);

  /**
   * The page's problem listener (test/browser/support.ts `watchPage`) sees CSP refusals on this
   * page: markup with an inline style (not created by the app, so without the nonce) is refused,
   * reported and taken off the list again.
   */
  async function expectCspWatched(page: Page, problems: string[]): Promise<void> {
    const before = problems.length;
    await page.evaluate(() =>
      document.body.insertAdjacentHTML('beforeend', '<style data-csp-probe>body{}</style>'),
    );
    await expect.poll(() => problems.slice(before).some((p) => /Content Security Policy/.test(p))).toBe(true);
    const kept = problems.filter((p, i) => i < before || !/Content Security Policy/.test(p));
    problems.splice(0, problems.length, ...kept);
  }

  const entryCard = (page: Page, id: number) =>
    page.locator(`[data-testid=my-list-entry][data-entry="${id}"]`);
  const stepsOf = (page: Page, id: number) =>
    entryCard(page, id)
      .locator('[data-testid=entry-step]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));

  it('shows the public lists with their bases, searches one and opens an entry with its basis and period', async () => {
    const { ctx, page, problems } = await fresh();
    // A published organisation's entry the demo made through the procedure, as the API shows it.
    const row = (
      await db.pool.query<{ id: number; code: string; name: string }>(
        `SELECT e.id::int4 AS id, e.list_type_code AS code, s.name FROM list_entries e
           JOIN subjects s ON s.id = e.subject_id
          WHERE e.published_at IS NOT NULL AND e.ended_at IS NULL AND s.type = 'ENTERPRISE'
          ORDER BY e.id LIMIT 1`,
      )
    ).rows[0];
    if (!row) throw new Error('the demo published no entry of an organisation');
    const entry = (await (
      await page.request.get(`${base}/api/v1/public/lists/entries/${row.id}`)
    ).json()) as {
      listType: { nameZh: string };
      legalBasis: { instrument: string }[];
      effectiveFrom: string;
      effectiveUntil: string | null;
      decision: { decisionNo: string };
    };
    const lists = (await (await page.request.get(`${base}/api/v1/public/lists`)).json()) as {
      code: string;
      nameZh: string;
      legalBasis: { instrument: string }[];
    }[];

    // The lists are in the portal's navigation.
    await page.goto(`${base}/`);
    await page.locator('.xy-nav').getByRole('link', { name: '信用名单' }).click();
    await page.waitForURL('**/lists');
    const card = (name: string) =>
      page.locator('.ant-card', { has: page.getByRole('link', { name, exact: true }) });
    await card(entry.listType.nameZh).waitFor();
    // Every public list is there with every basis it was set up on.
    for (const l of lists) {
      const text = await card(l.nameZh).innerText();
      for (const b of l.legalBasis) expect(text).toContain(b.instrument);
    }
    await expectCspWatched(page, problems);

    await page.getByRole('link', { name: entry.listType.nameZh, exact: true }).click();
    await page.waitForURL(`**/lists/${row.code}`);
    await page
      .getByLabel('名称或统一社会信用代码（自然人须输入完整身份证号码）')
      .fill(nameCore(row.name).slice(0, 4));
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    const hit = page.locator('.ant-table-row', { hasText: row.name });
    await hit.waitFor();
    expect(await hit.innerText()).toContain(entry.decision.decisionNo);
    await hit.click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('设列依据').waitFor();
    const detail = await drawer.innerText();
    for (const b of entry.legalBasis) expect(detail).toContain(b.instrument);
    expect(detail).toContain('期限');
    expect(detail).toContain(entry.effectiveFrom);
    if (entry.effectiveUntil) expect(detail).toContain(entry.effectiveUntil);
    await page.screenshot({ path: artifactPath('public-list-entry.png'), fullPage: true });
    expect(problems).toEqual([]);
    await ctx.close();

    // On a phone, in English (longer column titles), the entries table scrolls inside itself; the
    // page does not scroll sideways.
    const phone = await freshPage(browser, { width: 390, height: 844 });
    await phone.ctx.addInitScript(() => window.localStorage.setItem('xinyong.lang', 'en'));
    await phone.page.goto(`${base}/lists/${row.code}`);
    await phone.page.locator('tbody .ant-table-row').first().waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(phone.problems).toEqual([]);
    await phone.ctx.close();
  }, 90_000);

  it('shows the measures inventory with the legal basis of every measure', async () => {
    const { ctx, page, problems } = await fresh();
    const inventory = (await (await page.request.get(`${base}/api/v1/public/measures`)).json()) as {
      measures: {
        code: string;
        nameZh: string;
        legalBasis: { instrument: string }[];
        reachesRoles?: string[];
        triggers: { kind: string; listType?: string }[];
      }[];
    };
    expect(inventory.measures.length).toBeGreaterThan(0);
    const publicLists = (await (await page.request.get(`${base}/api/v1/public/lists`)).json()) as {
      code: string;
      nameZh: string;
    }[];
    const listName = new Map(publicLists.map((l) => [l.code, l.nameZh]));
    let namedLists = 0;
    // The inventory is in the portal's navigation.
    await page.goto(`${base}/`);
    await page.locator('.xy-nav').getByRole('link', { name: '奖惩措施' }).click();
    await page.waitForURL('**/measures');
    const rows = page.locator('tbody .ant-table-row');
    await expect.poll(() => rows.count()).toBe(inventory.measures.length);
    // The list names come from a second request (the public lists): until it answers, triggers
    // show their codes. Wait for one name, then all are there.
    const someName = inventory.measures
      .flatMap((mz) => mz.triggers)
      .map((tr) => (tr.kind === 'list' && tr.listType ? listName.get(tr.listType) : undefined))
      .find((n): n is string => !!n);
    expect(someName).toBeTruthy();
    await expect.poll(() => page.locator('tbody').innerText()).toContain(someName as string);
    for (const mz of inventory.measures) {
      const text = await page.locator(`tbody tr[data-row-key="${mz.code}"]`).innerText();
      expect(text, mz.code).toContain(mz.nameZh);
      for (const b of mz.legalBasis) expect(text, mz.code).toContain(b.instrument);
      // A measure that also reaches related parties says whom (限制高消费: the legal representative, …).
      if (mz.reachesRoles?.length) expect(text, mz.code).toContain('及于关联人: 法定代表人');
      else expect(text, mz.code).not.toContain('及于关联人');
      // Triggers read as words, never as keys (a clean record, a least severity).
      if (mz.triggers.some((tr) => tr.kind === 'clean_record')) expect(text, mz.code).toContain('无严重失信');
      expect(text, mz.code).not.toMatch(/clean_record|≥ (MINOR|GENERAL|SERIOUS)/);
      // A list trigger reads as the list's name, not its code (SAMR_SERIOUS_VIOLATION: 市场监督管理…).
      for (const tr of mz.triggers) {
        const name = tr.kind === 'list' && tr.listType ? listName.get(tr.listType) : undefined;
        if (!name || !tr.listType) continue;
        expect(text, mz.code).toContain(name);
        expect(text, mz.code).not.toContain(tr.listType);
        namedLists++;
      }
    }
    expect(namedLists).toBeGreaterThan(0);
    expect(inventory.measures.some((mz) => mz.reachesRoles?.length)).toBe(true);
    await expectCspWatched(page, problems);
    await page.screenshot({ path: artifactPath('measures.png'), fullPage: true });
    expect(problems).toEqual([]);
    await ctx.close();

    // On a phone the wide table scrolls inside itself; the page does not scroll sideways.
    const phone = await freshPage(browser, { width: 390, height: 844 });
    await phone.page.goto(`${base}/measures`);
    await phone.page.locator('tbody .ant-table-row').first().waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(phone.problems).toEqual([]);
    await phone.ctx.close();
  }, 60_000);

  it('keeps the console usable on a phone for a department officer', async () => {
    const { ctx, page, problems } = await freshPage(browser, { width: 390, height: 844 });
    await consoleLogin(page, base, '/console/lists', OFFICER);
    await page.locator('tbody .ant-table-row').first().waitFor();
    const box = async (selector: string) => {
      const b = await page.locator(selector).first().boundingBox();
      if (!b) throw new Error(`${selector} not shown`);
      return b;
    };
    // The long user and department name does not push the buttons out of the (red) header.
    const header = await box('.xy-console-header');
    for (const s of ['[data-testid="logout"]', '[data-testid="lang-switch"]', '.xy-console-header > a']) {
      const b = await box(s);
      expect(b.y, s).toBeGreaterThanOrEqual(header.y);
      expect(b.y + b.height, s).toBeLessThanOrEqual(header.y + header.height);
      expect(b.x + b.width, s).toBeLessThanOrEqual(390);
    }
    // The collapsed menu's button does not cover the page's title or text.
    const trigger = await box('.ant-layout-sider-zero-width-trigger');
    const lead = await box('main .ant-typography');
    expect(trigger.x + trigger.width).toBeLessThanOrEqual(lead.x);
    // The entries table scrolls inside itself; the page does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifactPath('console-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await ctx.close();
  }, 60_000);

  it('runs the procedure on the console while the subject follows every step and states its case', async () => {
    const officer = await fresh();
    const op = officer.page;
    await consoleLogin(op, base, '/console/lists', OFFICER);
    const row = () =>
      op.locator('.ant-table-row', { hasText: subject.name }).filter({ hasText: SERIOUS.name });
    const actionIn = async (name: RegExp) => {
      await row().getByRole('button', { name }).click();
      return op.locator('.ant-modal');
    };

    // Propose, citing the decision that found the violation.
    await op.getByRole('button', { name: '提出列入建议' }).click();
    const form = op.locator('.ant-modal');
    await chooseOption(
      op,
      form.locator('.ant-form-item', { has: op.getByText('名单', { exact: true }) }).locator('.ant-select'),
      SERIOUS.name,
    );
    await form.getByLabel('主体代码（统一社会信用代码、身份证号码或 S 编号）').fill(subject.uscc);
    await form.getByLabel('失信行为').fill('提交虚假材料取得许可，情节严重');
    await form.getByLabel('文书号', { exact: true }).fill('渝中市监罚〔2026〕900号');
    await form.getByLabel('文书名称').fill('行政处罚决定书');
    await form.getByRole('button', { name: /提\s*交/ }).click();
    await form.waitFor({ state: 'detached' });
    await row().waitFor();
    expect(await row().innerText()).toContain('已提出');
    const id = (
      await db.pool.query<{ id: number }>(
        'SELECT id::int4 AS id FROM list_entries WHERE subject_id = $1 AND list_type_code = $2',
        [subject.id, SERIOUS.code],
      )
    ).rows[0]?.id as number;

    // The subject sees the pending proposal with its first step and nothing to state yet.
    const own = await fresh();
    const sp = own.page;
    await consoleLogin(sp, base, '/console/my-list-entries', SUBJECT);
    // The subject's console menu leads to the page, beside its repair page.
    expect(await sp.getByTestId('nav-my-list-entries').innerText()).toBe('我的名单记录');
    expect(await sp.getByTestId('nav-my-remedies').count()).toBe(1);
    await entryCard(sp, id).waitFor();
    expect(await stepsOf(sp, id)).toEqual(['proposed']);
    expect(await entryCard(sp, id).getByTestId('statement-closed').innerText()).toContain('尚未告知');
    expect(await entryCard(sp, id).getByTestId('statement-form').count()).toBe(0);
    await expectCspWatched(sp, own.problems);

    // Notify: both notices together; the statement period opens.
    const notify = await actionIn(/告\s*知/);
    await notify.getByLabel('列入告知书文号').fill('渝中市监告〔2026〕900号');
    await notify.getByLabel('信用修复告知书文号').fill('渝中市监修〔2026〕900号');
    await notify.getByRole('button', { name: /提\s*交/ }).click();
    await notify.waitFor({ state: 'detached' });
    await expect.poll(() => row().innerText()).toContain('已告知');
    const deadline = (
      await db.pool.query<{ d: string }>(
        'SELECT statement_deadline::text AS d FROM list_entries WHERE id = $1',
        [id],
      )
    ).rows[0]?.d as string;

    // The subject: the notice, the period with its deadline, and the form.
    await sp.reload();
    const card = entryCard(sp, id);
    await card.getByTestId('statement-open').waitFor();
    expect(await stepsOf(sp, id)).toEqual(['proposed', 'notified', 'statement_period']);
    expect(await card.getByTestId('statement-deadline').innerText()).toBe(deadline);
    expect(await card.getByTestId('statement-open').innerText()).toContain(`陈述申辩期限至 ${deadline}`);
    expect(await card.innerText()).toContain('渝中市监告〔2026〕900号');
    // An empty statement is refused on the page, nothing sent.
    await card.getByTestId('statement-submit').click();
    await card.getByText('请填写陈述申辩内容').waitFor();
    await card
      .getByLabel('陈述申辩内容（事实、理由和证据）')
      .fill('许可材料系代理机构提交，本公司已撤回申请并整改。');
    await card.getByTestId('statement-submit').click();
    await card.getByTestId('statement-closed').waitFor();
    expect(await card.getByTestId('statement-closed').innerText()).toContain('您已于');
    expect(await stepsOf(sp, id)).toEqual(['proposed', 'notified', 'statement']);
    expect(await card.innerText()).toContain('本公司已撤回申请并整改');
    const stated = await db.pool.query<{ data: { channel: string } }>(
      "SELECT data FROM list_entry_steps WHERE entry_id = $1 AND step = 'statement'",
      [id],
    );
    expect(stated.rows.map((r) => r.data.channel)).toEqual(['self']);
    await sp.screenshot({ path: artifactPath('my-list-entries.png'), fullPage: true });

    // Decide: the subject has stated its case, so the department may decide before the deadline.
    const decide = await actionIn(/决\s*定/);
    await decide.getByLabel('决定文书号').fill('渝中市监列〔2026〕900号');
    await decide.getByLabel('理由', { exact: true }).fill('经审查陈述申辩，理由不成立，符合列入条件。');
    await decide.getByRole('button', { name: /提\s*交/ }).click();
    await decide.waitFor({ state: 'detached' });
    await expect.poll(() => row().innerText()).toContain('在列');
    expect(officer.problems).toEqual([]);
    await officer.ctx.close();

    // The subject sees the decision and the publication.
    await sp.reload();
    await expect
      .poll(() => stepsOf(sp, id))
      .toEqual(['proposed', 'notified', 'statement', 'decided', 'published']);
    expect(await card.getByTestId('entry-status').innerText()).toBe('在列');
    expect(await card.innerText()).toContain('渝中市监列〔2026〕900号');
    expect(own.problems).toEqual([]);
    await own.ctx.close();

    // Published on the public list: found by name, with its basis and period.
    const pub = await fresh();
    await pub.page.goto(`${base}/lists/${SERIOUS.code}`);
    await pub.page.getByLabel('名称或统一社会信用代码（自然人须输入完整身份证号码）').fill(subject.fragment);
    await pub.page.getByRole('button', { name: /搜\s*索/ }).click();
    const hit = pub.page.locator('.ant-table-row', { hasText: subject.name });
    await hit.waitFor();
    expect(await hit.innerText()).toContain('渝中市监列〔2026〕900号');
    await hit.click();
    const drawer = pub.page.getByRole('dialog');
    await drawer.getByText('设列依据').waitFor();
    const today = civilDate(new Date(Date.now() + ahead));
    expect(await drawer.innerText()).toContain(today);
    // Statements are not public.
    expect(await drawer.innerText()).not.toContain('本公司已撤回申请并整改');
    expect(pub.problems).toEqual([]);
    await pub.ctx.close();
  }, 180_000);

  it('closes the statement when its period has run out, and lets the department decide without it', async () => {
    const deadline = lapsing.notice?.statementDeadline;
    if (!deadline) throw new Error('the lapsing entry has no deadline');
    // The server's clock: two days after the last day of the period, 10:00 China time.
    ahead = Date.parse(`${deadline}T02:00:00Z`) + 2 * DAY - Date.now();

    const own = await fresh();
    const sp = own.page;
    await consoleLogin(sp, base, '/console/my-list-entries', SUBJECT);
    const card = entryCard(sp, lapsing.id);
    await card.getByTestId('statement-closed').waitFor();
    expect(await card.getByTestId('statement-closed').innerText()).toContain(
      `陈述申辩期限已于 ${deadline} 届满，不能再提交陈述申辩`,
    );
    expect(await card.getByTestId('statement-form').count()).toBe(0);
    expect(await stepsOf(sp, lapsing.id)).toEqual(['proposed', 'notified']);
    // The server says the same to a statement sent anyway.
    const late = await sp.request.post(`${base}/api/v1/list-entries/${lapsing.id}/statement`, {
      data: { text: '迟到的陈述' },
      headers: {
        'x-csrf-token': (await (await sp.request.get(`${base}/api/v1/auth/me`)).json()).csrfToken as string,
      },
    });
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('STATEMENT_PERIOD_OVER');

    const officer = await fresh();
    const op = officer.page;
    await consoleLogin(op, base, '/console/lists', OFFICER);
    const row = op.locator('.ant-table-row', { hasText: subject.name }).filter({ hasText: ABNORMAL.name });
    await row.getByRole('button', { name: /决\s*定/ }).click();
    const decide = op.locator('.ant-modal');
    await decide.getByLabel('决定文书号').fill('渝中市监异〔2026〕901号');
    await decide.getByLabel('理由', { exact: true }).fill('陈述申辩期限届满，当事人未陈述申辩。');
    await decide.getByRole('button', { name: /提\s*交/ }).click();
    await decide.waitFor({ state: 'detached' });
    await expect.poll(() => row.innerText()).toContain('在列');
    expect(officer.problems).toEqual([]);
    await officer.ctx.close();

    await sp.reload();
    await expect
      .poll(() => stepsOf(sp, lapsing.id))
      .toEqual(['proposed', 'notified', 'decided', 'published']);
    expect(await card.getByTestId('statement-closed').innerText()).toContain(`已于 ${deadline} 届满`);
    expect(own.problems).toEqual([]);
    await own.ctx.close();
  }, 120_000);

  it('shows the subject who read its non-public data, in words', async () => {
    const own = await fresh();
    await consoleLogin(own.page, base, '/console/my-reads', SUBJECT);
    await own.page.getByRole('heading', { name: '谁查看了我的信息' }).waitFor();
    const api = (await (await own.page.request.get(`${base}/api/v1/me/reads?limit=50`)).json()) as {
      items: { type: string; who: { name: string | null } }[];
    };
    // The department's officer read the entries on this subject while running the procedure.
    expect(api.items.length).toBeGreaterThan(0);
    const rows = own.page.locator('tbody .ant-table-row');
    await expect.poll(() => rows.count()).toBe(api.items.length);
    const text = await own.page.locator('tbody').innerText();
    const readers = new Set(api.items.map((i) => i.who.name).filter((n): n is string => !!n));
    expect(readers.size).toBeGreaterThan(0);
    for (const name of readers) expect(text).toContain(name);
    // Kinds of read in words, not event types.
    expect(text).not.toMatch(/data\.read|list_entries\.viewed|check\.performed|list_entry/);
    await own.page.screenshot({ path: artifactPath('my-reads.png'), fullPage: true });
    expect(own.problems).toEqual([]);
    await own.ctx.close();
  }, 60_000);

  it('never shows a non-public list or its entries on the public pages, but shows them to the subject', async () => {
    const { ctx, page, problems } = await fresh();
    // The API: not among the lists, no search, no entry.
    const lists = (await (await page.request.get(`${base}/api/v1/public/lists`)).json()) as {
      code: string;
    }[];
    expect(lists.map((l) => l.code)).not.toContain(INTERNAL.code);
    expect((await page.request.get(`${base}/api/v1/public/lists/${INTERNAL.code}/entries`)).status()).toBe(
      404,
    );
    expect((await page.request.get(`${base}/api/v1/public/lists/entries/${internal.id}`)).status()).toBe(404);

    // The lists page: the public lists, not this one.
    await page.goto(`${base}/lists`);
    await page.getByRole('link', { name: SERIOUS.name, exact: true }).waitFor();
    expect(await page.getByText(INTERNAL.name).count()).toBe(0);

    // The subject page's lists tab: its public entries (decided above), not the internal one.
    await page.goto(`${base}/subjects/S${subject.id}?tab=lists`);
    await page.getByTestId('subject-list-entry').first().waitFor();
    const tab = await page.getByTestId('subject-lists').innerText();
    expect(tab).toContain(SERIOUS.name);
    expect(tab).not.toContain(INTERNAL.name);
    expect(tab).not.toContain('渝中市监关注〔2026〕902号');

    // The public list search for the subject finds only what is public.
    await page.goto(`${base}/lists/${SERIOUS.code}`);
    await page.getByLabel('名称或统一社会信用代码（自然人须输入完整身份证号码）').fill(subject.uscc);
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    await page.locator('.ant-table-row', { hasText: subject.name }).waitFor();
    const found = (await page.locator('.ant-table-row').allInnerTexts()).join('\n');
    expect(found).toContain('渝中市监列〔2026〕900号');
    expect(found).not.toContain('渝中市监关注〔2026〕902号');
    expect(problems).toEqual([]);
    await ctx.close();

    // The subject's own page shows it, with every step.
    const own = await fresh();
    await consoleLogin(own.page, base, '/console/my-list-entries', SUBJECT);
    const card = entryCard(own.page, internal.id);
    await card.waitFor();
    expect(await card.innerText()).toContain(INTERNAL.name);
    expect(await stepsOf(own.page, internal.id)).toEqual([
      'proposed',
      'notified',
      'statement_waived',
      'decided',
    ]);
    expect(await card.getByTestId('entry-not-public').innerText()).toBe('不公示的名单');

    // In English: the page's own words and the step labels.
    await own.page.getByTestId('lang-switch').click();
    await own.page.getByRole('heading', { name: 'My list entries' }).waitFor();
    const english = await card.innerText();
    for (const text of [
      'Proposed',
      'Notice and credit-repair notice served',
      'Statement waived',
      'Decided',
      'The statement was waived on',
      'List not published',
      'Statement deadline',
    ])
      expect(english).toContain(text);
    expect(await entryCard(own.page, lapsing.id).getByTestId('statement-closed').innerText()).toContain(
      `The statement period ended on ${lapsing.notice?.statementDeadline}`,
    );
    expect(own.problems).toEqual([]);
    await own.ctx.close();
  }, 90_000);
});
