import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { TestApp } from '../../../../test/support/app';
import { TEST_TOTP_SECRET, loginBody } from '../../../../test/support/totp';
import { makeCitizenId, makeUscc } from '../../../domain/identifiers';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createApiKey, createDepartment, createUser } from '../accounts';
import { seedNationalCatalog, setProviders } from '../catalog';

/** Shared by the ingest tests: departments, users, files in every format, multipart bodies. */

export interface Dept {
  id: number;
  uscc: string;
  name: string;
}

export interface World {
  scjg: Dept;
  sthj: Dept;
  apiKey: string;
}

/** 市场监管局 provides XZCF and XZXK; 生态环境局 provides XZXK only. */
export async function setupWorld(t: TestApp): Promise<World> {
  return withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: new Date('2026-01-01T00:00:00Z') };
    await seedNationalCatalog(ctx);
    const scjg = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'MB150002'),
      name: '重庆市渝中区市场监督管理局',
      nameEn: 'Yuzhong District Administration for Market Regulation',
      region: '500103',
    });
    const sthj = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'MB150004'),
      name: '重庆市渝中区生态环境局',
      region: '500103',
    });
    await setProviders(ctx, 'XZCF', [scjg.id]);
    await setProviders(ctx, 'XZXK', [scjg.id, sthj.id]);
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'scjg',
      displayName: 'A',
      password: 'officer-pass-1',
      roles: ['dept_officer'],
      departmentId: scjg.id,
    });
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'sthj',
      displayName: 'B',
      password: 'officer-pass-1',
      roles: ['dept_officer'],
      departmentId: sthj.id,
    });
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'admin',
      displayName: 'Admin',
      password: 'admin-pass-12',
      roles: ['platform_admin'],
    });
    const key = await createApiKey(ctx, { departmentId: scjg.id, name: 'system', scopes: ['records:write'] });
    return { scjg, sthj, apiKey: key.key };
  });
}

export async function login(
  t: TestApp,
  username: string,
  password = 'officer-pass-1',
): Promise<Record<string, string>> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: loginBody(username, password, t.clock.now),
  });
  const c = res.cookies.find((x) => x.name === 'xy_session');
  return { cookie: `xy_session=${c?.value}`, 'x-csrf-token': res.json().csrfToken as string };
}

/** A valid USCC of a fictitious company, distinct per n. */
export function companyCode(n: number): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = '';
  for (let v = n, i = 0; i < 6; i++, v = Math.floor(v / alphabet.length))
    body = alphabet[v % alphabet.length] + body;
  return makeUscc('91', '500103', `MA${body}`);
}

export function companyName(n: number): string {
  return `重庆测试${n}号商贸有限公司`;
}

export const PERSON = makeCitizenId('500103', '19850612', '123');

/** A penalty in field codes (current layout), department `d`. */
export function penalty(d: Dept, n: number, o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CF_XDR_MC: companyName(n),
    CF_XDR_LB: '法人及非法人组织',
    CF_XDR_SHXYM: companyCode(n),
    CF_FRDB: '张三',
    CF_WSH: `渝中市监罚〔2026〕${n}号`,
    CF_WFXW: '销售过期食品',
    CF_SY: '经查，当事人销售超过保质期的食品',
    CF_YJ: '《中华人民共和国食品安全法》第一百二十四条',
    CF_CFLB: '罚款',
    CF_NR: '罚款2000元',
    CF_NR_FK: '0.2',
    CF_JDRQ: '2026/03/10',
    CF_CFJG: d.name,
    CF_CFJGDM: d.uscc,
    CF_SJLY: d.name,
    CF_SJLYDM: d.uscc,
    ...o,
  };
}

/** The field codes of the current 行政许可 layout, in template order. */
export const XK_CODES = [
  'XK_XDR_MC',
  'XK_XDR_LB',
  'XK_XDR_SHXYM',
  'XK_FRDB',
  'XK_XKWS',
  'XK_WSH',
  'XK_XKLB',
  'XK_NR',
  'XK_JDRQ',
  'XK_YXQZ',
  'XK_YXQZI',
  'XK_XKJG',
  'XK_XKJGDM',
  'XK_ZT',
  'XK_LYDW',
  'XK_LYDWDM',
] as const;

/** A licence in field codes (current layout), department `d`. */
export function licence(d: Dept, n: number, o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    XK_XDR_MC: companyName(n),
    XK_XDR_LB: '法人及非法人组织',
    XK_XDR_SHXYM: companyCode(n),
    XK_FRDB: '王五',
    XK_XKWS: '食品经营许可决定书',
    XK_WSH: `渝中许〔2026〕${n}号`,
    XK_XKLB: '普通',
    XK_NR: '准予食品经营',
    XK_JDRQ: '2026-04-01',
    XK_YXQZ: '2026-04-05',
    XK_YXQZI: '2031-04-04',
    XK_XKJG: d.name,
    XK_XKJGDM: d.uscc,
    XK_ZT: '有效',
    XK_LYDW: d.name,
    XK_LYDWDM: d.uscc,
    ...o,
  };
}

/** Chinese headers of the current 行政处罚 layout, by field code. */
export const CF_TITLES: Record<string, string> = {
  CF_XDR_MC: '行政相对人名称',
  CF_XDR_LB: '行政相对人类别',
  CF_XDR_SHXYM: '行政相对人代码_1（统一社会信用代码）',
  CF_FRDB: '法定代表人',
  CF_WSH: '行政处罚决定书文号',
  CF_WFXW: '违法行为类型',
  CF_SY: '违法事实',
  CF_YJ: '处罚依据',
  CF_CFLB: '处罚类别',
  CF_NR: '处罚内容',
  CF_NR_FK: '罚款金额（万元）',
  CF_JDRQ: '处罚决定日期',
  CF_CFJG: '处罚机关',
  CF_CFJGDM: '处罚机关统一社会信用代码',
  CF_SJLY: '数据来源单位',
  CF_SJLYDM: '数据来源单位统一社会信用代码',
};

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text: `columns` maps a header to the field code whose value goes under it. */
export function csv(
  columns: readonly (readonly [string, string])[],
  rows: readonly Record<string, unknown>[],
): string {
  const lines = [columns.map(([h]) => csvCell(h)).join(',')];
  for (const r of rows) lines.push(columns.map(([, code]) => csvCell(r[code])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function titled(titles: Record<string, string>): [string, string][] {
  return Object.entries(titles).map(([code, title]) => [title, code]);
}

let gbTable: Map<string, Buffer> | null = null;

/** GB18030 bytes of a text (Node can decode GB18030 but not encode it): two-byte GBK table built once. */
export function gb18030(text: string): Buffer {
  if (!gbTable) {
    gbTable = new Map();
    const td = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++)
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const bytes = Buffer.from([lead, trail]);
        const ch = td.decode(bytes);
        if (ch.length === 1 && ch !== '\ufffd' && !gbTable.has(ch)) gbTable.set(ch, bytes);
      }
  }
  const out: Buffer[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(Buffer.from(ch, 'latin1'));
    else {
      const b = gbTable.get(ch);
      if (!b) throw new Error(`no GBK code for ${ch}`);
      out.push(b);
    }
  }
  return Buffer.concat(out);
}

export type XlsxCell = string | number | Date | null | { formula: string; result?: string | number | Date };

/** An XLSX file from rows of cells (first row: headers). */
export async function xlsx(rows: readonly (readonly XlsxCell[])[], sheetName = '数据'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  for (const r of rows) {
    const row = ws.addRow([]);
    r.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      if (v instanceof Date) {
        cell.value = v;
        cell.numFmt = 'yyyy/mm/dd';
      } else cell.value = v as ExcelJS.CellValue;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A multipart/form-data body with text fields and one file. */
export function form(
  fields: Record<string, string>,
  file?: { name: string; data: Buffer | string; type?: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----xinyong${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
    );
    parts.push(typeof file.data === 'string' ? Buffer.from(file.data) : file.data);
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads a file through the API (multipart) and returns the parsed answer and status. */
export async function upload(
  t: TestApp,
  auth: Record<string, string>,
  file: { name: string; data: Buffer | string },
  fields: Record<string, string> = {},
  query = '',
): Promise<{
  status: number;
  body: Record<string, unknown> & {
    error?: { code: string; details: Record<string, unknown>; messages: { 'zh-CN': string; en: string } };
  };
}> {
  const f = form(fields, file);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/ingest/batches${query}`,
    headers: { ...auth, ...f.headers },
    payload: f.payload,
  });
  return { status: res.statusCode, body: res.json() };
}

/** A batch as `GET /api/v1/ingest/batches/:id` shows it to `auth` (which must be allowed to read it). */
export async function batchOf(t: TestApp, auth: Record<string, string>, id: unknown) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/ingest/batches/${String(id)}`,
    headers: auth,
  });
  if (res.statusCode !== 200) throw new Error(`batch ${String(id)}: ${res.statusCode} ${res.body}`);
  return res.json();
}
