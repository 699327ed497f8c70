/**
 * Test data shared by the remedies and feed tests: a district with a market regulator (provides
 * penalties) and a tax bureau (keeps a list), subject accounts, and helpers for sessions and
 * multipart bodies. Each test file builds it on its own fresh database.
 */
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { MARKET_REGULATOR, login as signIn, penaltyPayload } from '../../../../test/support/fixtures';
import { TEST_TOTP_SECRET } from '../../../../test/support/totp';
import { makeUscc } from '../../../domain/identifiers';
import { SYSTEM, type Ctx } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createApiKey, createDepartment, createUser } from '../accounts';
import { seedNationalCatalog, setProviders } from '../catalog';
import { seedListTypes } from '../lists';
import { seedMeasures } from '../measures';
import { submitRecords } from '../records';
import { registerSubject } from '../subjects';

export const PASS = 'remedies-test-pass-1';

/**
 * The real app on a fresh database, like test/support/app's createTestApp, with extra settings: no
 * per-client rate limit (these scenarios log in far more often than a person) and any others given.
 */
export function createAppWith(start: Date, env: Record<string, string> = {}): Promise<TestApp> {
  return createTestApp(start, { XINYONG_RATE_LIMIT: '0', ...env });
}

export interface District {
  market: { id: number; name: string; uscc: string };
  tax: { id: number; name: string; uscc: string };
  companies: { a: Company; b: Company; c: Company; d: Company };
  checksKey: string;
}

export interface Company {
  id: number;
  uscc: string;
  name: string;
}

/** A penalty of the market regulator on `c`; `over` gives at least CF_WSH and CF_JDRQ. */
export function penalty(
  d: Pick<District, 'market'>,
  c: Company,
  over: Record<string, unknown>,
): Record<string, unknown> {
  return penaltyPayload(d.market, c, over.CF_WSH as string, over);
}

export async function buildDistrict(t: TestApp, at: Date, accounts = true): Promise<District> {
  return withTransaction(t.db.pool, async (tx) => {
    const ctx: Ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: at };
    await seedNationalCatalog(ctx);
    await seedListTypes(ctx);
    await seedMeasures(ctx);
    const market = await createDepartment(ctx, MARKET_REGULATOR);
    const tax = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'MB150010'),
      name: '国家税务总局重庆市渝中区税务局',
      region: '500103',
    });
    await setProviders(ctx, 'XZCF', [market.id]);
    await setProviders(ctx, 'XZXK', [market.id]);
    const crypto = t.app.platform.crypto;
    const reg = async (code: string, name: string): Promise<Company> => {
      const uscc = makeUscc('91', '500103', code);
      const s = await registerSubject(ctx, crypto, { uscc, name, origin: 'registry' });
      return { id: s.id, uscc, name };
    };
    const companies = {
      a: await reg('MR000001', '重庆鸿药医药有限公司'),
      b: await reg('MR000002', '重庆山城建材有限公司'),
      c: await reg('MR000003', '重庆嘉陵商贸有限公司'),
      d: await reg('MR000004', '重庆朝天门物流有限公司'),
    };
    if (accounts) {
      const user = (
        username: string,
        roles: ('dept_officer' | 'dept_reviewer' | 'platform_admin' | 'auditor' | 'subject')[],
        extra: { departmentId?: number; subjectId?: number },
      ) =>
        createUser(ctx, {
          username,
          displayName: username,
          password: PASS,
          roles,
          totpSecret: TEST_TOTP_SECRET,
          ...extra,
        });
      await user('officer-a', ['dept_officer'], { departmentId: market.id });
      await user('reviewer-a', ['dept_reviewer'], { departmentId: market.id });
      await user('officer-b', ['dept_officer'], { departmentId: tax.id });
      await user('reviewer-b', ['dept_reviewer'], { departmentId: tax.id });
      await user('admin', ['platform_admin'], {});
      await user('auditor', ['auditor'], {});
      await user('subject-a', ['subject'], { subjectId: companies.a.id });
      await user('subject-b', ['subject'], { subjectId: companies.b.id });
      await user('subject-c', ['subject'], { subjectId: companies.c.id });
    }
    const checksKey = (await createApiKey(ctx, { departmentId: tax.id, name: 'checks', scopes: ['checks'] }))
      .key;
    return { market, tax, companies, checksKey };
  });
}

/** Submits penalties as the market regulator; returns the record ids in order. */
export async function addPenalties(
  t: TestApp,
  d: District,
  at: Date,
  rows: {
    company: Company;
    docNo: string;
    date: string;
    severity?: 'MINOR' | 'GENERAL' | 'SERIOUS';
    over?: Record<string, unknown>;
  }[],
): Promise<number[]> {
  return withTransaction(t.db.pool, async (tx) => {
    const out = await submitRecords(
      { db: tx, actor: SYSTEM, requestId: 'setup-records', now: at },
      t.app.platform.crypto,
      d.market.id,
      rows.map((r) => ({
        itemCode: 'XZCF',
        severity: r.severity ?? null,
        payload: penalty(d, r.company, { CF_WSH: r.docNo, CF_JDRQ: r.date, ...(r.over ?? {}) }),
      })),
    );
    return out.map((o) => {
      if (o.outcome !== 'created') throw new Error(`record not created: ${JSON.stringify(o)}`);
      return o.recordId;
    });
  });
}

export type Headers = Record<string, string>;

export function login(t: TestApp, username: string): Promise<Headers> {
  return signIn(t.app, username, PASS, t.clock);
}

/** A multipart/form-data body: text fields then files, in order. */
export function multipartBody(
  parts: (
    { name: string; value: string } | { name: string; filename: string; content: Buffer; type?: string }
  )[],
): {
  payload: Buffer;
  headers: Headers;
} {
  const boundary = `----xinyong${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`,
        ),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
      );
      chunks.push(p.content, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'),
  Buffer.alloc(2048, 32),
  Buffer.from('\n%%EOF\n'),
]);
export const JPG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]),
  Buffer.alloc(1024, 7),
]);
export const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(512, 0)]);

/** Lists a subject through the listing procedure (propose, notify, waive, decide) as the tax bureau. */
export async function listSubject(
  t: TestApp,
  listType: string,
  subject: string,
  recordIds: number[],
  decisionNo: string,
): Promise<number> {
  const officer = await login(t, 'officer-b');
  const reviewer = await login(t, 'reviewer-b');
  const post = async (h: Headers, url: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url, headers: h, payload });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`);
    return res.json();
  };
  const proposed = await post(officer, '/api/v1/list-entries', {
    listType,
    subject,
    summary: '拒不履行纳税义务',
    facts: recordIds.map((recordId) => ({ recordId })),
  });
  await post(officer, `/api/v1/list-entries/${proposed.id}/notify`, {
    noticeNo: `${decisionNo}-告`,
    repairNoticeNo: `${decisionNo}-修`,
  });
  await post(reviewer, `/api/v1/list-entries/${proposed.id}/statement`, {
    waived: true,
    waiverDocNo: '渝中市监放弃〔2026〕1号',
  });
  const decided = await post(officer, `/api/v1/list-entries/${proposed.id}/decision`, {
    outcome: 'list',
    decisionNo,
    reasons: '符合列入条件',
  });
  if (decided.stage !== 'listed') throw new Error(JSON.stringify(decided));
  return proposed.id as number;
}
