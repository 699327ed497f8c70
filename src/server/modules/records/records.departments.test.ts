import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { createOffice, inSetup, login, penaltyPayload } from '../../../../test/support/fixtures';
import { makeUscc } from '../../../domain/identifiers';
import { createDepartment } from '../accounts';
import { setProviders } from '../catalog';
import { clearDepartmentsCache } from './records.departments';

// The public list of providing departments (issue 4): items provided and disclosed record counts.

let t: TestApp;
let deptA: { id: number; uscc: string; name: string };
let deptB: { id: number; uscc: string; name: string };
const company = makeUscc('91', '500103', 'MA5U0303');

const penalty = (docNo: string) =>
  penaltyPayload(deptA, { name: '重庆鸿图医药有限公司', uscc: company }, docNo);

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  clearDepartmentsCache();
  await inSetup(
    t,
    async (ctx) => {
      deptA = (await createOffice(ctx)).dept;
      deptB = await createDepartment(ctx, {
        uscc: makeUscc('11', '500103', 'MB150004'),
        name: '重庆市渝中区生态环境局',
        region: '500103',
      });
      await setProviders(ctx, 'XZXK', [deptA.id, deptB.id]);
    },
    new Date('2026-01-01T00:00:00Z'),
  );
  const h = await login(t.app, 'officer', 'officer-pass-1', t.clock);
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
