import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOTP_SECRET, loginBody } from '../../../../test/support/totp';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { makeUscc } from '../../../domain/identifiers';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createDepartment, createUser } from '../accounts';
import { seedNationalCatalog, setProviders } from '../catalog';
import { clearDepartmentsCache } from './records.departments';

// The public list of providing departments (issue 4): items provided and disclosed record counts.

let t: TestApp;
let deptA: { id: number; uscc: string; name: string };
let deptB: { id: number; uscc: string; name: string };
const company = makeUscc('91', '500103', 'MA5U0303');

function penalty(docNo: string) {
  return {
    CF_XDR_MC: '重庆鸿图医药有限公司',
    CF_XDR_LB: '法人及非法人组织',
    CF_XDR_SHXYM: company,
    CF_FRDB: '张三',
    CF_WSH: docNo,
    CF_WFXW: '销售过期食品',
    CF_SY: '经查，当事人销售超过保质期的食品',
    CF_YJ: '《中华人民共和国食品安全法》第一百二十四条',
    CF_CFLB: ['罚款'],
    CF_NR: '罚款2000元',
    CF_NR_FK: '0.2',
    CF_JDRQ: '2026-03-10',
    CF_CFJG: deptA.name,
    CF_CFJGDM: deptA.uscc,
    CF_SJLY: deptA.name,
    CF_SJLYDM: deptA.uscc,
  };
}

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  clearDepartmentsCache();
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: new Date('2026-01-01T00:00:00Z') };
    await seedNationalCatalog(ctx);
    deptA = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'MB150002'),
      name: '重庆市渝中区市场监督管理局',
      region: '500103',
    });
    deptB = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'MB150004'),
      name: '重庆市渝中区生态环境局',
      region: '500103',
    });
    await setProviders(ctx, 'XZCF', [deptA.id]);
    await setProviders(ctx, 'XZXK', [deptA.id, deptB.id]);
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'officer',
      displayName: 'O',
      password: 'officer-pass-1',
      roles: ['dept_officer'],
      departmentId: deptA.id,
    });
  });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: loginBody('officer', 'officer-pass-1', t.clock.now),
  });
  const h = {
    cookie: `xy_session=${res.cookies.find((c) => c.name === 'xy_session')?.value}`,
    'x-csrf-token': res.json().csrfToken as string,
  };
  const ids: number[] = [];
  for (const n of [1, 2, 3]) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: h,
      payload: { itemCode: 'XZCF', payload: penalty(`渝中市监罚〔2026〕2${n}号`) },
    });
    expect(r.statusCode).toBe(201);
    ids.push(r.json().recordId);
  }
  const stop = await t.app.inject({
    method: 'POST',
    url: `/api/v1/records/${ids[0]}/stops`,
    headers: h,
    payload: { kind: 'withdrawn', reason: '录入错误，撤回' },
  });
  expect(stop.statusCode).toBe(200);
});
afterAll(async () => t?.close());

describe('public list of departments', () => {
  it('lists each department with the items it provides and its disclosed record counts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/public/departments' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const a = body.departments.find((d: { id: number }) => d.id === deptA.id);
    const b = body.departments.find((d: { id: number }) => d.id === deptB.id);
    // Three penalties, one withdrawn: two disclosed.
    expect(a).toMatchObject({ name: deptA.name, uscc: deptA.uscc, disclosedRecords: 2 });
    expect(a.items.map((i: { code: string }) => i.code).sort()).toEqual(['XZCF', 'XZXK']);
    expect(a.items.find((i: { code: string }) => i.code === 'XZCF')).toMatchObject({
      nameZh: '行政处罚信息',
      categoryCode: 'ADM',
      provider: true,
      disclosedRecords: 2,
    });
    expect(b).toMatchObject({
      disclosedRecords: 0,
      items: [{ code: 'XZXK', provider: true, disclosedRecords: 0 }],
    });
  });
});
