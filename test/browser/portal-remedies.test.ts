import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDate } from '../../src/domain/periods';
import { DEMO_TOTP_SECRET, seedDemo } from '../../src/cli/seed/demo';
import { buildApp } from '../../src/server/app';
import { createApiKey, createUser } from '../../src/server/modules/accounts';
import { SYSTEM, type Role } from '../../src/server/platform/context';
import { createFieldCrypto } from '../../src/server/platform/crypto';
import { withTransaction } from '../../src/server/platform/db';
import { createTestDb, type TestDb } from '../support/db';
import { testConfig } from '../support/app';
import {
  artifactPath,
  checkControl,
  chooseOption,
  consoleLogin,
  ensureWebBuild,
  freshTotp,
  freshPage,
  HAS_CHROMIUM,
  launchChromium,
  nameCore,
  serve,
} from './support';

/**
 * Portal and console pages that close issue 4 and 6 gaps, in Debian's chromium against the real
 * server and the demo district: the results page's category filter, the public list of
 * departments, English field titles, repair applied for by an agent with its authorisation letter,
 * and an objection answered in the console by correcting the record.
 */

ensureWebBuild();

const DAY = 86_400_000;
const PASSWORD = 'xinyong-test-2026';
const CJK = /[\u3400-\u9fff]/;
// The smallest valid PDF the file check accepts (magic bytes).
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

interface Org {
  id: number;
  name: string;
  uscc: string;
}

// Each scenario is retried once: on the loaded CI machine a step occasionally misses its wait (the
// agent's eligibility panel was a lost option click, now handled by chooseOption); a retry starts
// from a fresh page and login.
describe.skipIf(!HAS_CHROMIUM)('portal and console gaps in a real browser', { retry: 1 }, () => {
  let db: TestDb;
  let app: FastifyInstance;
  let base = '';
  let browser: Browser;
  let org: Org & { fragment: string; emptyCategory: string; categoryName: string };
  let scjg: { id: number; name: string; disclosed: number };
  let disputedOrg: Org;
  let disputedRecord: { id: number; docNo: string; version: number };
  let agentOrg: Org;

  beforeAll(async () => {
    db = await createTestDb();
    const config = testConfig();
    const crypto = createFieldCrypto(config.fieldKey, config.blindIndexKey);
    await seedDemo(db.pool, crypto, { scale: 0.05, now: new Date(Date.now() - 40 * DAY) });
    const now = new Date();
    const today = civilDate(now);
    const disclosed = `r.window_from <= $1::date AND (r.window_until IS NULL OR r.window_until > $1::date)
                       AND r.stopped_at IS NULL`;

    // An organisation with disclosed administrative records, and a category it has none of.
    const o = (
      await db.pool.query<Org & { initials: string }>(
        `SELECT s.id::int4 AS id, s.name, s.uscc FROM subjects s
          WHERE s.type = 'ENTERPRISE' AND EXISTS (SELECT 1 FROM records r WHERE r.subject_id = s.id
                AND r.category_code = 'ADM' AND ${disclosed})
          ORDER BY s.id LIMIT 1`,
        [today],
      )
    ).rows[0];
    if (!o) throw new Error('no organisation with administrative records in the demo');
    const empty = (
      await db.pool.query<{ code: string; name_zh: string }>(
        `SELECT c.code, c.name_zh FROM catalog_categories c
          WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.subject_id = $2 AND r.category_code = c.code AND ${disclosed})
          ORDER BY c.sort LIMIT 1`,
        [today, o.id],
      )
    ).rows[0];
    const adm = (
      await db.pool.query<{ name_zh: string }>("SELECT name_zh FROM catalog_categories WHERE code = 'ADM'")
    ).rows[0];
    if (!empty || !adm) throw new Error('categories missing');
    org = {
      ...o,
      fragment: nameCore(o.name).slice(0, 4),
      emptyCategory: empty.code,
      categoryName: adm.name_zh,
    };

    const d = (
      await db.pool.query<{ id: number; name: string; n: number }>(
        `SELECT d.id::int4 AS id, d.name,
                (SELECT count(*)::int4 FROM records r WHERE r.department_id = d.id AND ${disclosed}) AS n
           FROM departments d JOIN users u ON u.department_id = d.id AND u.username = 'scjg'`,
        [today],
      )
    ).rows[0];
    if (!d) throw new Error('no scjg department');
    scjg = { id: d.id, name: d.name, disclosed: d.n };

    // A penalty of the market regulator about another organisation: objected to, then corrected.
    const rec = (
      await db.pool.query<{ id: number; doc_no: string; version: number; subject_id: number }>(
        `SELECT r.id::int4 AS id, r.doc_no, r.version, r.subject_id::int4 AS subject_id FROM records r
           JOIN subjects s ON s.id = r.subject_id
          WHERE r.item_code = 'XZCF' AND r.department_id = $2 AND s.type = 'ENTERPRISE' AND s.id <> $3
            AND ${disclosed}
          ORDER BY r.id LIMIT 1`,
        [today, scjg.id, org.id],
      )
    ).rows[0];
    if (!rec) throw new Error('no penalty of the market regulator');
    disputedRecord = { id: rec.id, docNo: rec.doc_no, version: rec.version };
    const subjectOf = async (id: number) =>
      (await db.pool.query<Org>('SELECT id::int4 AS id, name, uscc FROM subjects WHERE id = $1', [id]))
        .rows[0] as Org;
    disputedOrg = await subjectOf(rec.subject_id);
    // A credit service agency (any other organisation) that applies as an agent.
    agentOrg = (
      await db.pool.query<Org>(
        `SELECT id::int4 AS id, name, uscc FROM subjects WHERE type = 'ENTERPRISE' AND id NOT IN ($1, $2)
          ORDER BY id DESC LIMIT 1`,
        [org.id, disputedOrg.id],
      )
    ).rows[0] as Org;

    await withTransaction(db.pool, async (tx) => {
      const ctx = { db: tx, actor: SYSTEM, requestId: 'browser-setup', now };
      await createUser(ctx, {
        username: 'subject-disputed',
        displayName: disputedOrg.name,
        password: PASSWORD,
        roles: ['subject'],
        subjectId: disputedOrg.id,
      });
      // Staff accounts of their own: each account's codes run ahead of the clock by a step per login
      // (freshTotp) and the server accepts one step ahead at most, so a scenario that logs in again
      // takes another account rather than the demo admin's.
      const staff: [string, string, Role][] = [
        ['list-admin', '名单管理员', 'platform_admin'],
        ['feed-admin', '推送管理员', 'platform_admin'],
        ['feed-auditor', '审计员', 'auditor'],
      ];
      for (const [username, displayName, role] of staff)
        await createUser(
          ctx,
          { username, displayName, password: PASSWORD, roles: [role], totpSecret: DEMO_TOTP_SECRET },
          crypto,
        );
      await createUser(ctx, {
        username: 'agent',
        displayName: agentOrg.name,
        password: PASSWORD,
        roles: ['subject'],
        subjectId: agentOrg.id,
      });
    });

    app = await buildApp({ config, pool: db.pool });
    base = await serve(app);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  const fresh = (viewport?: { width: number; height: number }) => freshPage(browser, viewport);

  const login = (page: Page, path: string, username: string, password: string) =>
    consoleLogin(page, base, path, { username, password });

  const resultNames = (page: Page) => page.getByTestId('result-link').allInnerTexts();

  it('filters search results by category of records', async () => {
    const { ctx, page, problems } = await fresh();
    await page.goto(`${base}/search?q=${encodeURIComponent(org.fragment)}`);
    await page.getByTestId('results').waitFor();
    expect(await resultNames(page)).toContain(org.name);

    await chooseOption(page, page.getByTestId('filter-category'), org.categoryName);
    await page.waitForURL((u) => u.searchParams.get('category') === 'ADM');
    await expect.poll(() => page.getByText(`仅显示有“${org.categoryName}”类公示信息的主体`).count()).toBe(1);
    await expect.poll(() => resultNames(page)).toContain(org.name);
    // Every remaining hit has administrative records disclosed now (the API's own answer).
    const hits = (await (
      await page.request.get(
        `${base}/api/v1/public/subjects?q=${encodeURIComponent(org.fragment)}&category=ADM&limit=100`,
      )
    ).json()) as { items: { ref: string }[] };
    for (const h of hits.items) {
      const profile = (await (await page.request.get(`${base}/api/v1/public/subjects/${h.ref}`)).json()) as {
        categories: { code: string }[];
      };
      expect(profile.categories.map((c) => c.code)).toContain('ADM');
    }

    // A category the organisation has nothing in: it drops out.
    await page.goto(`${base}/search?q=${encodeURIComponent(org.fragment)}&category=${org.emptyCategory}`);
    await expect.poll(() => page.getByTestId('filter-category').innerText()).not.toBe('');
    await expect
      .poll(
        async () => (await page.getByTestId('results').count()) + (await page.locator('.ant-empty').count()),
      )
      .toBeGreaterThan(0);
    expect(await resultNames(page)).not.toContain(org.name);
    expect(problems).toEqual([]);
    await ctx.close();
  }, 90_000);

  it('lists the providing departments with their items and counts, linked from the navigation', async () => {
    const { ctx, page, problems } = await fresh();
    await page.goto(base + '/');
    await page.getByRole('link', { name: '提供部门' }).click();
    await page.waitForURL('**/departments');
    const card = page.getByTestId('department').filter({ hasText: scjg.name });
    await card.waitFor();
    const count = await card.locator('.ant-statistic-content').innerText();
    expect(Number(count.replace(/\D/g, ''))).toBe(scjg.disclosed);
    expect(await card.getByTestId('department-item').count()).toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath('departments.png'), fullPage: true });

    // Its penalties open the 双公示 search filtered by the department, from the same list.
    await card.locator('[data-item=XZCF] a').click();
    await page.waitForURL(
      (u) => u.pathname === '/disclosures' && u.searchParams.get('department') === String(scjg.id),
    );
    await expect.poll(() => page.getByTestId('filter-department').innerText()).toContain(scjg.name);
    await page.getByTestId('filter-department').click();
    const options = await page.locator('.ant-select-item-option').allInnerTexts();
    expect(options).toContain(scjg.name);
    expect(problems).toEqual([]);
    await ctx.close();
  }, 60_000);

  it('labels record fields with their English titles in English', async () => {
    const { ctx, page, problems } = await fresh();
    await ctx.addInitScript(() => window.localStorage.setItem('xinyong.lang', 'en'));
    await page.goto(`${base}/subjects/S${org.id}`);
    await page.getByTestId('subject-loaded').waitFor();
    const labels = page.locator('[data-testid=record] dt');
    await expect.poll(() => labels.count()).toBeGreaterThan(0);
    await expect.poll(async () => (await labels.allInnerTexts()).filter((l) => CJK.test(l))).toEqual([]);
    // The providing department by its English name (the demo departments all have one).
    const english = (
      await db.pool.query<{ name_en: string }>(
        `SELECT DISTINCT d.name_en FROM records r JOIN departments d ON d.id = r.department_id
          WHERE r.subject_id = $1`,
        [org.id],
      )
    ).rows.map((r) => r.name_en);
    const providers = page
      .locator('[data-testid=record] .xy-field-row', { hasText: 'Provided by' })
      .locator('dd');
    expect(await providers.count()).toBeGreaterThan(0);
    for (const name of await providers.allInnerTexts()) expect(english).toContain(name);
    // And in Chinese the catalogue's own titles.
    await page.getByTestId('lang-switch').click();
    await expect.poll(async () => (await labels.allInnerTexts()).some((l) => CJK.test(l))).toBe(true);
    expect(problems).toEqual([]);
    await ctx.close();
  }, 60_000);

  it('lets an agent apply for repair for a subject, with the authorisation letter', async () => {
    const { ctx, page, problems } = await fresh();
    await login(page, '/console/my-remedies', 'agent', PASSWORD);

    // A record of some other organisation that can be repaired now.
    const candidates = await db.pool.query<{ id: number; doc_no: string; uscc: string; name: string }>(
      `SELECT r.id::int4 AS id, r.doc_no, s.uscc, s.name FROM records r JOIN subjects s ON s.id = r.subject_id
        WHERE r.item_code = 'XZCF' AND s.type = 'ENTERPRISE' AND s.id NOT IN ($1, $2) AND r.stopped_at IS NULL
          AND (r.window_until IS NULL OR r.window_until > now()::date)
        ORDER BY r.decision_date, r.id LIMIT 40`,
      [agentOrg.id, disputedOrg.id],
    );
    let target: { id: number; doc_no: string; uscc: string; name: string } | undefined;
    for (const c of candidates.rows) {
      const r = await page.request.get(`${base}/api/v1/repairs/eligibility?recordId=${c.id}`);
      if (((await r.json()) as { eligibility: { eligible: boolean } }).eligibility.eligible) {
        target = c;
        break;
      }
    }
    if (!target) throw new Error('no repairable penalty in the demo');

    await page.getByTestId('apply-as-agent').click();
    await page.getByTestId('agent-name').fill('重庆某某律师事务所 李律师');
    await page.getByTestId('agent-subject').fill(target.uscc);
    await page.getByTestId('agent-find').click();
    // The option reads "item · document number · date": match the whole number, not a prefix of another.
    const docNo = new RegExp(`· ${target.doc_no.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ·`);
    await chooseOption(page, page.getByTestId('agent-record'), docNo);
    await page.getByTestId('agent-eligibility').waitFor();
    await page.getByTestId('agent-continue').click();

    await page.getByTestId('repair-statement').fill('当事人已缴清罚款并完成整改，委托本所代为申请信用修复。');
    await page.getByTestId('repair-draft').click();
    await page.getByTestId('accept-commitment').waitFor();
    expect(await page.getByTestId('repair-submit').isDisabled()).toBe(true); // no letter yet
    await page
      .locator('.ant-modal input[type=file]')
      .first()
      .setInputFiles({ name: '授权委托书.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByTestId('accept-commitment').click();
    await page.getByTestId('repair-submit').click();
    await expect.poll(() => page.getByText(/^XY-/).count()).toBeGreaterThan(0);

    const app = (
      await db.pool.query<{ id: number; applicant_kind: string; agent_name: string; status: string }>(
        'SELECT id::int4 AS id, applicant_kind, agent_name, status FROM repair_applications WHERE record_id = $1',
        [target.id],
      )
    ).rows[0];
    expect(app).toMatchObject({
      applicant_kind: 'agent',
      agent_name: '重庆某某律师事务所 李律师',
      status: 'submitted',
    });
    const files = await db.pool.query<{ kind: string }>(
      'SELECT kind FROM repair_files WHERE application_id = $1',
      [app?.id],
    );
    expect(files.rows.map((f) => f.kind)).toEqual(['authorisation']);
    await page.screenshot({ path: artifactPath('repair-agent.png'), fullPage: true });

    // Anyone follows it by its query code; an empty code then clears the answer and says why.
    const queryCode = (await page.getByText(/^XY-/).first().innerText()).trim();
    await page.goto(`${base}/repair-status?code=${encodeURIComponent(queryCode)}`);
    await page.locator('.ant-descriptions').waitFor();
    await page.getByTestId('query-code').fill('');
    await page.getByTestId('query-button').click();
    await page.getByRole('alert').filter({ hasText: '请输入查询码' }).waitFor();
    expect(await page.locator('.ant-descriptions').count()).toBe(0);
    expect(problems).toEqual([]);
    await ctx.close();

    // The platform checks the letter in its queue before forwarding to the deciding department.
    const admin = await fresh();
    await consoleLogin(admin.page, base, '/console/remedies-queue', {
      username: 'admin',
      password: 'xinyong-admin-2026',
      totp: freshTotp('admin'),
    });
    const row = admin.page.locator('tr', { has: admin.page.getByTestId(`applicant-agent-${app?.id}`) });
    await row.waitFor();
    expect(await row.innerText()).toContain('重庆某某律师事务所 李律师');
    await row.locator('.ant-table-row-expand-icon').click();
    const listed = admin.page.getByTestId(`application-files-${app?.id}`);
    await listed.waitFor();
    expect(await listed.innerText()).toContain('授权委托书.pdf');
    const [download] = await Promise.all([
      admin.page.waitForEvent('download'),
      listed.getByRole('link', { name: '授权委托书.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    await row.getByRole('button', { name: /转\s*办/ }).click();
    await expect
      .poll(
        async () =>
          (
            await db.pool.query<{ status: string }>('SELECT status FROM repair_applications WHERE id = $1', [
              app?.id,
            ])
          ).rows[0]?.status,
      )
      .toBe('forwarded');
    expect(admin.problems).toEqual([]);
    await admin.ctx.close();
  }, 120_000);

  it('has the department answer an objection by correcting the record, and the subject see it', async () => {
    // The subject objects to the penalty's content.
    const subject = await fresh();
    await login(subject.page, '/console/my-remedies', 'subject-disputed', PASSWORD);
    await subject.page
      .locator('tr', { hasText: disputedRecord.docNo })
      .getByRole('button', { name: '提出异议' })
      .click();
    await subject.page.getByLabel('异议理由及依据').fill('处罚内容记载的罚款金额与决定书不一致。');
    await subject.page.locator('.ant-modal').getByRole('button', { name: '提出异议' }).click();
    await subject.page.locator('.ant-modal').waitFor({ state: 'detached' });
    const objection = (
      await db.pool.query<{ id: number }>('SELECT id::int4 AS id FROM objections WHERE record_id = $1', [
        disputedRecord.id,
      ])
    ).rows[0];
    if (!objection) throw new Error('the objection was not opened');

    // The market regulator's officer answers it in the console: correct, which opens the record's form.
    const officer = await fresh();
    await login(officer.page, '/console/remedies-queue', 'scjg', 'xinyong-demo-2026');
    await officer.page.getByRole('tab', { name: '异议' }).click();
    await officer.page.getByTestId(`answer-objection-${objection.id}`).click();
    await checkControl(officer.page.getByRole('radio', { name: '更正记录（生成新版本）' }));
    await officer.page.getByTestId('action-reasons').fill('经核查，罚款金额记载有误，予以更正。');
    await officer.page.getByTestId('action-submit').click();
    const form = officer.page.getByTestId('correct-form');
    await form.waitFor();
    await form.getByLabel('处罚内容 (CF_NR)').fill('罚款1000元');
    await officer.page
      .locator('.ant-modal', { has: form })
      .locator('.ant-modal-footer .ant-btn-primary')
      .click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => officer.page.getByTestId(`answer-objection-${objection.id}`).count()).toBe(0);
    await officer.page.screenshot({ path: artifactPath('objection-answered.png'), fullPage: true });

    const after = (
      await db.pool.query<{ status: string; outcome: string; version: number; nr: string }>(
        `SELECT o.status, o.outcome, r.version, r.payload->>'CF_NR' AS nr
           FROM objections o JOIN records r ON r.id = o.record_id WHERE o.id = $1`,
        [objection.id],
      )
    ).rows[0];
    expect(after).toMatchObject({ status: 'closed', outcome: 'corrected', nr: '罚款1000元' });
    expect(after?.version).toBe(disputedRecord.version + 1);

    // The record's history reads as a list on the console, not as raw JSON: the new version is a
    // correction with its reason.
    await officer.page.goto(`${base}/console/records`);
    await officer.page.getByLabel('文书号').fill(disputedRecord.docNo);
    await officer.page.getByRole('button', { name: '搜索' }).click();
    await officer.page
      .getByTestId('records-table')
      .locator('tr', { hasText: disputedRecord.docNo })
      .getByRole('button', { name: '详情' })
      .click();
    const versions = officer.page.getByTestId('record-versions');
    await versions.locator('tbody tr', { hasText: '更正' }).first().waitFor();
    const history = await versions.innerText();
    expect(history).toContain('经核查，罚款金额记载有误');
    expect(history).not.toMatch(/change_kind|corrected|recorded_at/);

    // The subject sees the outcome and the new version.
    await subject.page.reload();
    const outcome = subject.page.getByTestId(`objection-outcome-${objection.id}`);
    await outcome.waitFor();
    expect(await outcome.innerText()).toContain(`第 ${disputedRecord.version + 1} 版`);
    expect(await subject.page.locator('tr', { hasText: '已更正' }).count()).toBeGreaterThan(0);
    expect(subject.problems).toEqual([]);
    expect(officer.problems).toEqual([]);
    await subject.ctx.close();
    await officer.ctx.close();
  }, 120_000);

  it('binds a list type to its listing authority on the console', async () => {
    const { ctx, page, problems } = await fresh();
    await consoleLogin(page, base, '/console/list-types', {
      username: 'list-admin',
      password: PASSWORD,
      totp: freshTotp('list-admin'),
    });

    // An unbound type, chosen from the API (no other test binds list types).
    type Listed = { code: string; departments?: { id: number; name: string }[] };
    const listed = async () =>
      (await (await page.request.get(`${base}/api/v1/list-types`)).json()) as Listed[];
    const code = (await listed()).filter((l) => !l.departments?.length).at(-1)?.code;
    if (!code) throw new Error('no unbound list type in the demo');
    await page.getByTestId(`unbound-${code}`).waitFor();
    await page.getByTestId(`bind-${code}`).click();

    // Choose the market regulator (typed, to filter the departments), and see it chosen before saving.
    await chooseOption(page, page.getByTestId('bind-departments'), scjg.name, scjg.name);
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    if (await dropdown.isVisible()) {
      await page.keyboard.press('Escape'); // closes the dropdown, not the dialog
      await dropdown.waitFor({ state: 'hidden' });
    }
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId(`unbound-${code}`).waitFor({ state: 'detached' });
    await expect
      .poll(() => page.locator('.ant-table-row', { hasText: code }).innerText())
      .toContain(scjg.name);
    expect((await listed()).find((l) => l.code === code)?.departments?.map((d) => d.id)).toEqual([scjg.id]);
    expect(problems).toEqual([]);
    await ctx.close();
  }, 60_000);

  it('rotates an API key on the console: the new key shows once, the old one lasts the grace period', async () => {
    const old = await withTransaction(db.pool, (tx) =>
      createApiKey(
        { db: tx, actor: SYSTEM, requestId: 'browser-setup', now: new Date() },
        { departmentId: scjg.id, name: '待轮换密钥', scopes: [] },
      ),
    );
    const call = (key: string) =>
      app.inject({
        method: 'GET',
        url: '/api/v1/quality/scorecards',
        headers: { authorization: `Bearer ${key}` },
      });
    const { ctx, page, problems } = await fresh();
    await consoleLogin(page, base, '/console/api-keys', {
      username: 'list-admin',
      password: PASSWORD,
      totp: freshTotp('list-admin'),
    });
    await page.getByTestId(`apikey-rotate-${old.info.id}`).click();
    const dialog = page.locator('.ant-modal', { has: page.getByTestId('apikey-rotate-form') });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('旧密钥在宽限期内仍可使用');
    await dialog.getByRole('button', { name: '轮换' }).click();
    const issued = page.getByTestId('issued-key');
    await issued.waitFor();
    const key = (await issued.innerText()).trim();
    expect(key).toMatch(/^xy_/);
    expect(key).not.toBe(old.key);
    // The list now shows the old key as rotated, with no rotate button, and the successor.
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '已轮换' }).count()).toBe(1);
    expect(await page.getByTestId(`apikey-rotate-${old.info.id}`).count()).toBe(0);
    expect((await call(key)).statusCode).toBe(200);
    expect((await call(old.key)).statusCode).toBe(200); // 24 hours of grace by default
    expect(problems).toEqual([]);
    await ctx.close();
  }, 60_000);

  it('registers a feed subscriber: the refusal shows in the dialog, states read as words, an auditor only reads', async () => {
    // A subscriber dead-lettered after repeated failures (once, should the scenario be retried).
    await db.pool.query(
      `INSERT INTO webhook_subscriptions (url, scope, description, created_by, status, cursor_seq,
                                          attempts, next_attempt_at, last_error, dead_at, created_at, updated_at)
       SELECT 'https://agency.example.cn/xy-hook', 'public', '浏览器测试订阅', 'test', 'dead', 0, 8, $1,
              'HTTP 503', $1, $1, $1
        WHERE NOT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE url = 'https://agency.example.cn/xy-hook')`,
      [new Date()],
    );
    const row = (page: Page) => page.locator('.ant-table-row', { hasText: 'xy-hook' });

    const admin = await fresh();
    await consoleLogin(admin.page, base, '/console/feed-subscriptions', {
      username: 'feed-admin',
      password: PASSWORD,
      totp: freshTotp('feed-admin'),
    });
    const text = await row(admin.page).innerText();
    expect(text).toContain('死信（已暂停）');
    expect(text).toContain('公示数据');
    expect(text).not.toMatch(/\b(dead|public)\b/);
    await row(admin.page)
      .getByRole('button', { name: /恢\s*复/ })
      .waitFor();

    // A loopback address is the server's to refuse (private targets are off by default): its
    // reason shows on the field, inside the dialog, not behind it.
    await admin.page.getByRole('button', { name: '登记订阅' }).click();
    const dialog = admin.page.locator('.ant-modal');
    await dialog.getByLabel('推送地址').fill('http://127.0.0.1:9/hook');
    await dialog.getByLabel('说明').fill('本机测试');
    await dialog.getByTestId('feed-add-submit').click();
    await expect
      .poll(() => dialog.locator('.ant-form-item-explain-error').allInnerTexts())
      .toEqual([expect.stringContaining('127.0.0.1')]);
    expect(await row(admin.page).count()).toBe(1);
    expect(admin.problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
    await admin.ctx.close();

    // The auditor sees the subscribers and their deliveries, and no button that changes them.
    const auditor = await fresh();
    await consoleLogin(auditor.page, base, '/console/feed-subscriptions', {
      username: 'feed-auditor',
      password: PASSWORD,
      totp: freshTotp('feed-auditor'),
    });
    await row(auditor.page).getByRole('button', { name: '投递日志' }).waitFor();
    expect(await row(auditor.page).getByRole('button').allInnerTexts()).toEqual(['投递日志']);
    expect(await auditor.page.getByRole('button', { name: '登记订阅' }).count()).toBe(0);
    expect(auditor.problems).toEqual([]);
    await auditor.ctx.close();
  }, 90_000);
});
