import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../test/support/db';
import { eventLeafJson } from '../../../domain/merkle';
import { BinaryCopyReader, CopyFormatError, type CopyRow } from './audit.copy';
import { sha256Hex, suiteHasher } from './audit.crypto';
import { readLeafBatch } from './audit.leaves';
import { inProcessReader, workerReader } from './audit.leaves.pool';
import { auditRepo, toLeaf } from './audit.repository';

/**
 * The verifier's bulk path (binary COPY, leaf bytes written from the row's bytes) must give exactly
 * the leaves of the reference path (eventsForVerify → toLeaf → eventLeafJson), for every awkward row.
 */
const AWKWARD: [
  string,
  string,
  string | null,
  string,
  number | null,
  string,
  string,
  string | null,
  string,
][] = [
  // at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id, payload
  ['2026-06-01 02:00:00+00', 'system', null, 'a.b', null, 'thing', 'x', null, '{}'],
  ['2026-06-01 02:00:00.000001+00', 'user', '42', 'a.b', 7, 'thing', '重庆市渝中区', 'r-1', '{"n":"中文"}'],
  ['2026-06-01 02:00:00.999999+08', 'user', 'quote"inside', 'a.b', -5, 'thing', 'e', 'r', '{}'],
  ['1999-12-31 23:59:59.5+00', 'apikey', 'a', 'a.b', 9007199254740991, 'thing', 'back\\slash', 'r', '{}'],
  ['1716-03-01 00:00:00.123456+00', 'public', '', 'a.b', 0, 'thing', '', '', '"s"'],
  ['1650-01-01 00:00:00.000001+00', 'public', null, 'far.past', null, 'thing', 'old', null, '{}'],
  ['2400-01-01 00:00:00.000101+00', 'public', null, 'far.future', null, 'thing', 'new', null, '{}'],
  [
    '2026-11-29 12:00:00.010203+00',
    'user',
    '😀 emoji',
    'a.b',
    1,
    '类型',
    '𠀀 astral',
    'é',
    '{"x":"\\u0000"}',
  ],
];
// One control character per row, each in a different field.
const CONTROL: [string, string][] = [
  ['actor_id', 'tab\there'],
  ['entity_id', 'new\nline'],
  ['request_id', 'ctl\u0001'],
  ['type', 'unit\u001fsep'],
];

const range = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

async function withAwkwardEvents<T>(
  fn: (db: Awaited<ReturnType<typeof createTestDb>>) => Promise<T>,
): Promise<T> {
  const db = await createTestDb();
  try {
    let seq = 1;
    for (const [at, kind, actor, type, subject, et, eid, req, payload] of AWKWARD) {
      await db.pool.query(
        `INSERT INTO events (seq, at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id,
                             payload, payload_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, sha256(convert_to($10, 'UTF8')))`,
        [seq++, at, kind, actor, type, subject, et, eid, req, payload],
      );
    }
    for (const [i, [column, value]] of CONTROL.entries()) {
      const v = { actor_id: 'a', entity_id: 'x', request_id: 'r', type: 'a.b', [column]: value };
      await db.pool.query(
        `INSERT INTO events (seq, at, actor_kind, actor_id, type, entity_type, entity_id, request_id, payload,
                             payload_sha256)
         VALUES ($1, now(), 'user', $2, $3, 'thing', $4, $5, '{}', sha256('{}'))`,
        [100 + i, v.actor_id, v.type, v.entity_id, v.request_id],
      );
    }
    // seq 9 is missing; seq 10's payload does not match its hash.
    await db.pool.query(
      `INSERT INTO events (seq, at, actor_kind, type, entity_type, entity_id, payload, payload_sha256)
       VALUES (10, now(), 'system', 'a.b', 'thing', 'y', '{"a":1}', sha256('other'))`,
    );
    return await fn(db);
  } finally {
    await db.drop();
  }
}

describe('the verifier reads and hashes events in bulk', () => {
  it('gives the leaves of the reference path for awkward rows, and flags missing events and bad payloads', async () => {
    await withAwkwardEvents(async (db) => {
      const h = suiteHasher('sha256-ed25519');
      const batch = await readLeafBatch(db.pool, h, 1, 11);
      const rows = await auditRepo.eventsForVerify(db.pool, range(1, 11));
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10]);
      const controls = await readLeafBatch(db.pool, h, 100, 103);
      for (const r of await auditRepo.eventsForVerify(db.pool, range(100, 103)))
        expect(controls.leaves.subarray((r.seq - 100) * 32, (r.seq - 99) * 32), `seq ${r.seq}`).toEqual(
          Buffer.from(h.leafOfText(eventLeafJson(toLeaf(r)))),
        );
      for (const r of rows) {
        const expected = Buffer.from(h.leafOfText(eventLeafJson(toLeaf(r))));
        expect(batch.leaves.subarray((r.seq - 1) * 32, r.seq * 32).toString('hex'), `seq ${r.seq}`).toBe(
          expected.toString('hex'),
        );
        expect(sha256Hex(r.payload) === r.payload_sha256).toBe(r.seq !== 10);
      }
      expect([...batch.present]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0]);
      expect(batch.payloadBad).toEqual([10]);

      const sm3 = suiteHasher('sm3-sm2');
      const other = await readLeafBatch(db.pool, sm3, 2, 4);
      expect(other.leaves.subarray(0, 32)).toEqual(
        Buffer.from(sm3.leafOfText(eventLeafJson(toLeaf(rows[1]!)))),
      );
    });
  });

  it('worker threads read the same batches as this thread', async () => {
    await withAwkwardEvents(async (db) => {
      const here = inProcessReader(db.pool, 'sha256-ed25519');
      const there = workerReader(db.url, 'sha256-ed25519', 2);
      try {
        const [a, b, c] = await Promise.all([here.read(1, 11), there.read(1, 5), there.read(6, 11)]);
        expect(Buffer.concat([b.leaves, c.leaves]).toString('hex')).toBe(a.leaves.toString('hex'));
        expect([...b.present, ...c.present]).toEqual([...a.present]);
        expect([...b.payloadBad, ...c.payloadBad]).toEqual(a.payloadBad);
      } finally {
        await Promise.all([here.close(), there.close()]);
      }
    });
  });

  it('a worker that cannot read fails the read, and the workers still close', async () => {
    const there = workerReader('postgres://postgres@127.0.0.1:1/none', 'sha256-ed25519', 1);
    await expect(there.read(1, 10)).rejects.toThrow(/ECONNREFUSED|connect/);
    await there.close();
  });
});

describe('BinaryCopyReader', () => {
  const encode = (rows: (Buffer | null)[][]): Buffer => {
    const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
    for (const r of rows) {
      const head = Buffer.alloc(2);
      head.writeInt16BE(r.length);
      parts.push(head);
      for (const f of r) {
        const len = Buffer.alloc(4);
        len.writeInt32BE(f ? f.length : -1);
        parts.push(len, f ?? Buffer.alloc(0));
      }
    }
    parts.push(Buffer.from([0xff, 0xff]));
    return Buffer.concat(parts);
  };
  const rows = [
    [Buffer.from('a'), null, Buffer.from('中文')],
    [Buffer.alloc(0), Buffer.from('xyz'), null],
  ];
  const read = (chunks: Buffer[]): (string | null)[][] => {
    const out: (string | null)[][] = [];
    const reader = new BinaryCopyReader(3, ({ buf, fields }: CopyRow) => {
      const row: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const s = fields[2 * i] as number;
        const l = fields[2 * i + 1] as number;
        row.push(l < 0 ? null : buf.toString('utf8', s, s + l));
      }
      out.push(row);
    });
    for (const c of chunks) reader.push(c);
    reader.finish();
    return out;
  };

  it('reads rows split across chunks at every byte', () => {
    const data = encode(rows);
    const expected = [
      ['a', null, '中文'],
      ['', 'xyz', null],
    ];
    expect(read([data])).toEqual(expected);
    for (let cut = 1; cut < data.length; cut++)
      expect(read([data.subarray(0, cut), data.subarray(cut)]), `cut at ${cut}`).toEqual(expected);
    expect(read([...data].map((b) => Buffer.from([b])))).toEqual(expected);
  });

  it('refuses what is not a binary COPY stream, a wrong width and a truncated stream', () => {
    const data = encode(rows);
    expect(() => read([Buffer.from('seq\tat\n1\t2\n')])).toThrow(CopyFormatError);
    expect(() => read([encode([[Buffer.from('a')]])])).toThrow(/expected 3 fields, got 1/);
    expect(() => read([data.subarray(0, data.length - 5)])).toThrow(/ended early/);
    expect(() => read([data, Buffer.from('x')])).toThrow(/after the end/);
  });
});
