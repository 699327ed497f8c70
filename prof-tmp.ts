import pg from 'pg';
import { createPool, withTransaction } from '/work/main/src/server/platform/db';
import { migrate } from '/work/main/src/server/platform/migrate';
import { createFieldCrypto } from '/work/main/src/server/platform/crypto';
import { SYSTEM } from '/work/main/src/server/platform/context';
import { seedNationalCatalog, setProviders } from '/work/main/src/server/modules/catalog';
import { createDepartment } from '/work/main/src/server/modules/accounts';
import { submitRecords } from '/work/main/src/server/modules/records';
import { makeUscc } from '/work/main/src/domain/identifiers';

const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS xy_prof');
await admin.query(`CREATE DATABASE xy_prof ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
await admin.end();
const pool = createPool('postgres://postgres@127.0.0.1:5432/xy_prof', 4);
await migrate(pool);
const crypto = createFieldCrypto(Buffer.alloc(32, 7), Buffer.alloc(32, 9));
const now = new Date('2026-06-01T02:00:00Z');
const dept = await withTransaction(pool, async (tx) => {
  const ctx = { db: tx, actor: SYSTEM, requestId: 'x', now };
  await seedNationalCatalog(ctx);
  const d = await createDepartment(ctx, { uscc: makeUscc('11', '500103', 'MB150002'), name: '重庆市渝中区市场监督管理局', region: '500103' });
  await setProviders(ctx, 'XZCF', [d.id]);
  return d;
});
const mk = (n: number) => ({ itemCode: 'XZCF', payload: {
  CF_XDR_MC: `重庆测试${n}号商贸有限公司`, CF_XDR_LB: '法人及非法人组织', CF_XDR_SHXYM: makeUscc('91', '500103', `MA5U${String(n).padStart(4, '0')}`),
  CF_FRDB: '张三', CF_WSH: `渝中市监罚〔2026〕${n}号`, CF_WFXW: '销售过期食品', CF_SY: '经查', CF_YJ: '食品安全法', CF_CFLB: ['罚款'], CF_NR: '罚款2000元', CF_NR_FK: '0.2',
  CF_JDRQ: '2026-03-10', CF_CFJG: dept.name, CF_CFJGDM: dept.uscc, CF_SJLY: dept.name, CF_SJLYDM: dept.uscc } });
for (const [label, register, base] of [['unknown', true, 0], ['known', true, 0], ['new docs known subjects', true, 0]] as const) {
  const inputs = Array.from({ length: 1000 }, (_, i) => mk(base + i));
  if (label === 'new docs known subjects') for (const x of inputs) x.payload.CF_WSH += 'b';
  const t0 = performance.now();
  const out = await withTransaction(pool, (tx) => submitRecords({ db: tx, actor: SYSTEM, requestId: 'x', now }, crypto, dept.id, inputs, { registerUnknownSubjects: register }));
  const c: Record<string, number> = {};
  for (const o of out) c[o.outcome] = (c[o.outcome] ?? 0) + 1;
  console.log(label, JSON.stringify(c), (performance.now() - t0).toFixed(0), 'ms');
}
await pool.end();
