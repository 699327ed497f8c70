import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../../test/support/db';
import { storedPayloadSha256 } from '../audit';
import { sha256Hex } from '../../platform/crypto';
import { storedPayloadHash } from './records.check';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.drop());

/**
 * record.created logs the hash of the payload as jsonb stores it, computed before the insert; the
 * verifier recomputes it from the stored row. The two must agree on any JSON a payload can hold.
 */
describe('stored-form payload hash', () => {
  const payloads: unknown[] = [
    { CF_WSH: '渝中市监罚〔2026〕1号', CF_AJMC: '案', CF_JDRQ: '2026-02-01', CF_FKJE: 1.5 },
    { b: 1, a: 2, aa: 3, A: 4, 中: 5, 中文: 6, é: 7, z: { y: [1, { d: 1, c: 2 }], x: null } },
    { '10': 'digits', '2': 'first', x: 'y', '01': 'not an index' },
    { n: 12345678901234567000, e: 1e21, f: 0.1, neg: -0, big: 1.0000000000000002 },
    { s: 'quote " backslash \\ newline \n tab \t \u0001 \u2028 emoji 😀', enc: { enc: 'v1:abc' } },
    [],
    {},
  ];
  it.each(payloads.map((p) => [JSON.stringify(p).slice(0, 40), p]))('%s', async (_, p) => {
    const text = JSON.stringify(p);
    const { rows } = await db.pool.query<{ t: string }>('SELECT $1::jsonb::text AS t', [text]);
    expect(storedPayloadHash(text)).toBe(storedPayloadSha256(rows[0]!.t));
  });

  it('differs from the hash of the submitted text when jsonb reorders the keys', () => {
    const text = JSON.stringify({ CF_WSH: 'x', CF_NR: 'y' });
    expect(storedPayloadHash(text)).not.toBe(sha256Hex(text));
  });
});
