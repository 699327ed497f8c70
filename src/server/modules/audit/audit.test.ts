import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_KEYS, testConfig, type TestApp } from '../../../../test/support/app';
import { createTestDb, type TestDb } from '../../../../test/support/db';
import { fromHex, rootOfLeafHashes, sha256, toHex, treeHasher, utf8 } from '../../../domain/merkle';
import { buildApp } from '../../app';
import { SYSTEM } from '../../platform/context';
import { type Pool, withTransaction } from '../../platform/db';
import { appendEvents } from '../../platform/events';
import { createApiKey, createDepartment } from '../accounts';
import { MARKET_REGULATOR, createStaff, inSetup, login } from '../../../../test/support/fixtures';
import { mayReadLeaf } from './audit.service';
import { verifyLogCommand } from '../../../cli/verify-log';
import {
  DEFAULT_ORIGIN,
  advanceLog,
  checkpoint,
  entries,
  ed25519Signer,
  keyFromVerifierKey,
  openNote,
  verifyLog,
  type LogSigner,
  type VerifyReport,
} from '.';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../..');
const VERIFIER = path.join(ROOT, 'tools/verify-proof.mjs');

interface Verifier {
  parseKeys(text: string): unknown[];
  verifyInclusionProof(a: {
    checkpoint: string;
    keys: unknown[];
    proof: unknown;
    payload?: Uint8Array;
    leafText?: string;
  }): {
    seq: number;
    leaf: { type: string } | null;
  };
  verifyConsistencyProof(a: {
    checkpoint: string;
    keys: unknown[];
    proof: unknown;
    oldCheckpoint?: string;
  }): {
    first: number;
    second: number;
    firstSigned: boolean;
  };
}

const signer: LogSigner = ed25519Signer(DEFAULT_ORIGIN, Buffer.from(TEST_KEYS.XINYONG_SIGNING_KEY, 'base64'));
const T0 = new Date('2026-06-01T02:00:00Z');

/** Appends n events through the platform's writer, in transactions of up to 500. */
async function addEvents(pool: Pool, n: number, tag = 'e'): Promise<void> {
  for (let done = 0; done < n;) {
    const k = Math.min(500, n - done);
    await withTransaction(pool, (tx) =>
      appendEvents(
        { db: tx, actor: SYSTEM, requestId: `req-${done}`, now: new Date(T0.getTime() + done * 1000) },
        Array.from({ length: k }, (_, i) => ({
          type: 'test.happened',
          entityType: 'thing',
          entityId: `${tag}-${done + i}`,
          subjectId: (done + i) % 3 === 0 ? null : done + i,
          payload: { n: done + i, secret: `非公开内容 ${done + i}` },
        })),
      ),
    );
    done += k;
  }
}

async function logOf(n: number): Promise<TestDb> {
  const db = await createTestDb();
  await addEvents(db.pool, n);
  await advanceLog(db.pool);
  await checkpoint(db.pool, signer, { origin: DEFAULT_ORIGIN, now: T0 });
  return db;
}

async function tamper(db: TestDb, sql: string, values: unknown[] = []): Promise<void> {
  await withTransaction(db.pool, async (tx) => {
    // What an attacker with database access does; the application itself cannot.
    await tx.query('ALTER TABLE events DISABLE TRIGGER events_no_update');
    await tx.query(sql, values);
    await tx.query('ALTER TABLE events ENABLE TRIGGER events_no_update');
  });
}

const verify = (db: TestDb) => verifyLog(db.pool, { trusted: [signer], batchSize: 256 });

describe('audit log over HTTP', () => {
  let t: TestApp;
  let v: Verifier;

  beforeAll(async () => {
    t = await createTestApp();
    v = (await import(pathToFileURL(VERIFIER).href)) as Verifier;
  });
  afterAll(async () => t?.close());

  it('has no checkpoint before the first one is signed', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NO_CHECKPOINT');
  });

  it('appends events, signs a C2SP checkpoint, publishes the key', async () => {
    await addEvents(t.db.pool, 700);
    expect((await advanceLog(t.db.pool)).treeSize).toBe(700);
    const cp = await checkpoint(t.db.pool, signer, { origin: DEFAULT_ORIGIN, now: T0 });
    expect(cp?.treeSize).toBe(700);
    expect(await checkpoint(t.db.pool, signer, { origin: DEFAULT_ORIGIN, now: T0 })).toBeNull(); // nothing new

    const text = await t.app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' });
    expect(text.statusCode).toBe(200);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    const lines = text.body.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      DEFAULT_ORIGIN,
      '700',
      Buffer.from(fromHex(cp?.rootHash ?? '')).toString('base64'),
    ]);
    expect(lines[3]).toBe('');
    expect(lines[4]).toMatch(new RegExp(`^— ${DEFAULT_ORIGIN.replace('.', '\\.')} [A-Za-z0-9+/]+=*$`));

    const keys = await t.app.inject({ method: 'GET', url: '/.well-known/xinyong/log-keys' });
    expect(keys.statusCode).toBe(200);
    const published = keys.json().keys[0];
    expect(published.vkey).toBe(signer.vkey);
    expect(published.algorithm).toBe('Ed25519');
    expect(openNote(text.body, [keyFromVerifierKey(published.vkey)]).text).toBe(
      lines.slice(0, 3).join('\n') + '\n',
    );
    const other = ed25519Signer(DEFAULT_ORIGIN, Buffer.alloc(32, 99));
    expect(() => openNote(text.body, [other])).toThrow(/no signature by a trusted key/);

    const json = await t.app.inject({ method: 'GET', url: '/api/v1/log/checkpoint?format=json' });
    expect(json.json()).toMatchObject({
      treeSize: 700,
      origin: DEFAULT_ORIGIN,
      suite: 'sha256-ed25519',
      note: text.body,
    });
    const openapi = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys(openapi.json().paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/log/checkpoint',
        '/api/v1/log/proof/inclusion',
        '/.well-known/xinyong/log-keys',
      ]),
    );
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/log/checkpoints?from=1&limit=10' });
    expect(list.json().map((c: { treeSize: number }) => c.treeSize)).toEqual([700]);
  });

  it('lists entries without payloads (auditors only), and their hashes rebuild the signed root', async () => {
    // Listing is for auditors (the route × role matrix checks the roles); the content is the service's.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/log/entries?limit=1' })).statusCode).toBe(401);
    const list = (from: number, limit: number) => entries(t.db.pool, from, limit);
    const h = treeHasher(sha256);
    const leaves: Uint8Array[] = [];
    for (let from = 1; from <= 700; from += 1000) {
      const res = await list(from, 700);
      for (const e of res.entries as { leaf: string; leafHash: string }[]) {
        expect(toHex(h.leaf(utf8(e.leaf)))).toBe(e.leafHash);
        expect(e.leaf).not.toContain('非公开');
        expect(Object.keys(JSON.parse(e.leaf)).sort()).toEqual([
          'actorId',
          'actorKind',
          'at',
          'entityId',
          'entityType',
          'payloadSha256',
          'requestId',
          'seq',
          'subjectId',
          'type',
        ]);
        leaves.push(h.leaf(utf8(e.leaf)));
      }
    }
    expect(leaves).toHaveLength(700);
    const cp = await t.app.inject({ method: 'GET', url: '/api/v1/log/checkpoint?format=json' });
    expect(toHex(rootOfLeafHashes(h, leaves))).toBe(cp.json().rootHash);
    const first = JSON.parse((await list(1, 1)).entries[0]?.leaf ?? 'null');
    expect(first).toMatchObject({
      seq: 1,
      at: '2026-06-01T02:00:00.000000Z',
      actorKind: 'system',
      actorId: 'system',
    });
  });

  it('serves inclusion and consistency proofs that the stand-alone verifier accepts', async () => {
    const note = (await t.app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' })).body;
    const keys = v.parseKeys(
      (await t.app.inject({ method: 'GET', url: '/.well-known/xinyong/log-keys' })).body,
    );
    // The public gets the proof of the leaf hash (its metadata is withheld: see the next describe);
    // a holder of the leaf (here from the auditors' listing) checks it hashes to the logged one.
    const leafOf = async (seq: number) => (await entries(t.db.pool, seq, 1)).entries[0]?.leaf as string;
    for (const seq of [1, 2, 255, 256, 257, 512, 699, 700]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/log/proof/inclusion?seq=${seq}` });
      expect(res.statusCode).toBe(200);
      const proof = res.json();
      expect(proof).toMatchObject({ seq, leafIndex: seq - 1, treeSize: 700, checkpoint: note });
      expect(proof).toMatchObject({ leaf: null, leafWithheld: true });
      expect(v.verifyInclusionProof({ checkpoint: note, keys, proof }).seq).toBe(seq);
      const leafText = await leafOf(seq);
      expect(v.verifyInclusionProof({ checkpoint: note, keys, proof, leafText }).leaf?.type).toBe(
        'test.happened',
      );
      const bad = { ...proof, auditPath: [...proof.auditPath.slice(0, -1), '00'.repeat(32)] };
      expect(() => v.verifyInclusionProof({ checkpoint: note, keys, proof: bad })).toThrow(
        /not in the checkpointed tree/,
      );
      const forged = leafText.replace('"thing"', '"other"');
      expect(() => v.verifyInclusionProof({ checkpoint: note, keys, proof, leafText: forged })).toThrow(
        /does not hash/,
      );
      // A leaf shown by the server (to whom may see it) that was altered since it was logged.
      const altered = { ...proof, leaf: forged, leafWithheld: false };
      expect(() => v.verifyInclusionProof({ checkpoint: note, keys, proof: altered })).toThrow(/altered/);
    }
    const payload = Buffer.from('{"n":4,"secret":"非公开内容 4"}');
    const p5 = (await t.app.inject({ method: 'GET', url: '/api/v1/log/proof/inclusion?seq=5' })).json();
    const leaf5 = await leafOf(5);
    expect(() =>
      v.verifyInclusionProof({ checkpoint: note, keys, proof: p5, payload, leafText: leaf5 }),
    ).not.toThrow();
    expect(() =>
      v.verifyInclusionProof({
        checkpoint: note,
        keys,
        proof: p5,
        payload: Buffer.from('{}'),
        leafText: leaf5,
      }),
    ).toThrow(/payload/);
    expect(() => v.verifyInclusionProof({ checkpoint: note, keys, proof: p5, payload })).toThrow(/withheld/);

    // Grow the log, sign again, and prove the old head is a prefix of the new one.
    await addEvents(t.db.pool, 300, 'more');
    await advanceLog(t.db.pool);
    await checkpoint(t.db.pool, signer, { origin: DEFAULT_ORIGIN, now: T0 });
    const note2 = (await t.app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' })).body;
    for (const first of [1, 255, 256, 699, 700]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/log/proof/consistency?first=${first}&second=1000`,
      });
      expect(res.statusCode).toBe(200);
      const proof = res.json();
      const oldCheckpoint = first === 700 ? note : undefined;
      const r = v.verifyConsistencyProof({ checkpoint: note2, keys, proof, oldCheckpoint });
      expect(r).toMatchObject({ first, second: 1000, firstSigned: first === 700 });
      const bad = { ...proof, firstRoot: '11'.repeat(32) };
      expect(() => v.verifyConsistencyProof({ checkpoint: note2, keys, proof: bad })).toThrow(/rewritten/);
    }
    // An old proof, for the old tree size, still verifies against the old checkpoint.
    const old = (
      await t.app.inject({ method: 'GET', url: '/api/v1/log/proof/inclusion?seq=10&treeSize=700' })
    ).json();
    expect(
      v.verifyInclusionProof({ checkpoint: note, keys, proof: old, leafText: await leafOf(10) }).seq,
    ).toBe(10);
    expect(() => v.verifyInclusionProof({ checkpoint: note2, keys, proof: old })).toThrow(/tree size/);
  });

  it('runs tools/verify-proof.mjs as a command', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xy-verify-'));
    try {
      const file = (name: string, body: string): string => {
        writeFileSync(path.join(dir, name), body);
        return path.join(dir, name);
      };
      const cp = file(
        'checkpoint.txt',
        (await t.app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' })).body,
      );
      const keys = file(
        'keys.json',
        (await t.app.inject({ method: 'GET', url: '/.well-known/xinyong/log-keys' })).body,
      );
      const proof = file(
        'proof.json',
        (await t.app.inject({ method: 'GET', url: '/api/v1/log/proof/inclusion?seq=42' })).body,
      );
      const run = promisify(execFile);
      const hashOnly = await run(process.execPath, [
        ...[VERIFIER, '--key', keys, '--checkpoint', cp, '--proof', proof],
      ]);
      expect(hashOnly.stdout).toMatch(/^OK: leaf [0-9a-f]{64} is event 42 .*withheld/);
      const leaf = file('leaf.json', `${(await entries(t.db.pool, 42, 1)).entries[0]?.leaf}\n`);
      const ok = await run(process.execPath, [
        ...[VERIFIER, '--key', keys, '--checkpoint', cp, '--proof', proof, '--leaf', leaf],
      ]);
      expect(ok.stdout).toMatch(/^OK: event 42 /);
      const bad = await run(process.execPath, [
        VERIFIER,
        '--key',
        signer.vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'),
        '--checkpoint',
        cp,
        '--proof',
        proof,
      ]).catch((err: { code: number; stderr: string }) => err);
      expect(bad).toMatchObject({ code: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses impossible proofs with coded errors', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/log/proof/inclusion?seq=5000', 404, 'SEQ_OUT_OF_RANGE'],
      ['/api/v1/log/proof/inclusion?seq=1&treeSize=99999', 404, 'TREE_SIZE_OUT_OF_RANGE'],
      ['/api/v1/log/proof/consistency?first=10&second=5', 400, 'CONSISTENCY_RANGE'],
      ['/api/v1/log/proof/consistency?first=1&second=99999', 404, 'TREE_SIZE_OUT_OF_RANGE'],
      ['/api/v1/log/proof/inclusion?seq=0', 400, 'VALIDATION_FAILED'],
    ];
    for (const [url, status, code] of cases) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(status);
      expect(res.json().error.code, url).toBe(code);
    }
  });
});

describe('who sees a leaf in an inclusion proof', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it("auditors, the event's writer and its subject see the leaf; anyone else its hash alone", async () => {
    t = await createTestApp();
    const staff = {
      username: 'auditor',
      password: 'audit-pass-123',
      displayName: 'Au',
      roles: ['auditor' as const],
      inDepartment: false,
    };
    const [mine, other] = await inSetup(t, async (ctx) => {
      await createStaff(ctx, staff);
      const dept = await createDepartment(ctx, MARKET_REGULATOR);
      const key = (name: string) => createApiKey(ctx, { departmentId: dept.id, name, scopes: [] });
      return [await key('writer'), await key('other')];
    });
    if (!mine || !other) throw new Error('no keys');
    const writer = { kind: 'apikey' as const, keyId: mine.info.id, departmentId: 0, scopes: [] };
    const [seq] = await withTransaction(t.db.pool, (tx) =>
      appendEvents({ db: tx, actor: writer, requestId: 'by-key', now: T0 }, [
        { type: 'test.by_key', entityType: 'thing', entityId: 'k', subjectId: 77, payload: {} },
      ]),
    );
    const auditor = await login(t.app, staff.username, staff.password, t.clock);
    await advanceLog(t.db.pool);
    const get = (headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url: `/api/v1/log/proof/inclusion?seq=${seq}`, headers });
    const shown = { leafWithheld: false, leaf: expect.stringContaining('"type":"test.by_key"') };
    const hidden = { leafWithheld: true, leaf: null };
    const full = (await get(auditor)).json();
    expect(full).toMatchObject(shown);
    expect((await get({ authorization: `Bearer ${mine.key}` })).json()).toMatchObject(shown);
    expect((await get({ authorization: `Bearer ${other.key}` })).json()).toMatchObject(hidden);
    const open = (await get()).json();
    expect(open).toMatchObject({ ...hidden, leafHash: full.leafHash, auditPath: full.auditPath });

    // The rule itself, for the actors the HTTP calls above cannot all be (a subject's account).
    const leaf = JSON.parse(full.leaf);
    const user = (
      roles: ('auditor' | 'platform_admin' | 'dept_officer' | 'subject')[],
      subjectId?: number,
    ) => ({
      kind: 'user' as const,
      userId: 5,
      username: 'u',
      roles,
      departmentId: null,
      subjectId: subjectId ?? null,
    });
    expect(mayReadLeaf(user(['subject'], 77), leaf)).toBe(true);
    expect(mayReadLeaf(user(['subject'], 78), leaf)).toBe(false);
    expect(mayReadLeaf(user(['dept_officer']), leaf)).toBe(false);
    expect(mayReadLeaf(user(['platform_admin']), leaf)).toBe(true);
    expect(mayReadLeaf(user(['dept_officer']), { ...leaf, actorKind: 'user', actorId: '5' })).toBe(true);
    expect(mayReadLeaf({ kind: 'public' }, leaf)).toBe(false);
    expect(mayReadLeaf(SYSTEM, leaf)).toBe(true);
  });
});

describe('tamper detection (xinyong verify-log)', () => {
  it('passes an untouched log', async () => {
    const db = await logOf(600);
    try {
      const r = await verify(db);
      expect(r).toMatchObject({ ok: true, events: 600, treeSize: 600, checkpoints: 1, firstBrokenSeq: null });
    } finally {
      await db.drop();
    }
  });

  it('names the event whose payload had one byte changed', async () => {
    const db = await logOf(600);
    try {
      await tamper(db, "UPDATE events SET payload = replace(payload, '容 77\"', '容 78\"') WHERE seq = 78");
      const r = await verify(db);
      expect(r.ok).toBe(false);
      expect(r.firstBrokenSeq).toBe(78);
      expect(r.problems.map((p) => p.kind)).toEqual(['payload_hash']);
    } finally {
      await db.drop();
    }
  });

  it('names an event rewritten together with its payload hash, and a changed timestamp', async () => {
    const db = await logOf(600);
    try {
      await tamper(db, "UPDATE events SET payload = '{}', payload_sha256 = sha256('{}') WHERE seq = 300");
      await tamper(db, "UPDATE events SET at = at + interval '1 microsecond' WHERE seq = 450");
      const r = await verify(db);
      expect(r.firstBrokenSeq).toBe(300);
      expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([
        ['leaf_mismatch', 300],
        ['leaf_mismatch', 450],
      ]);
    } finally {
      await db.drop();
    }
  });

  it('names a deleted event', async () => {
    const db = await logOf(600);
    try {
      await tamper(db, 'DELETE FROM events WHERE seq = 257');
      const r = await verify(db);
      expect(r.firstBrokenSeq).toBe(257);
      expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([['missing_event', 257]]);
      await tamper(db, 'DELETE FROM events WHERE seq >= 590');
      expect((await verify(db)).problemCount).toBe(12);
    } finally {
      await db.drop();
    }
  });

  it('finds the same problems with worker threads as in one thread', async () => {
    const db = await logOf(600);
    try {
      await tamper(db, 'DELETE FROM events WHERE seq = 257');
      await tamper(db, "UPDATE events SET payload = replace(payload, '容 77\"', '容 78\"') WHERE seq = 78");
      await tamper(db, "UPDATE events SET entity_id = 'changed' WHERE seq = 401");
      const strip = ({ seconds: _s, state, ...rest }: VerifyReport) => ({
        ...rest,
        state: state && { ...state, seconds: 0 },
      });
      const here = await verify(db);
      const there = await verifyLog(db.pool, {
        trusted: [signer],
        batchSize: 256,
        workers: 2,
        workersFrom: 0,
        databaseUrl: db.url,
      });
      expect(here.problems.map((p) => [p.kind, p.seq])).toEqual([
        ['payload_hash', 78],
        ['missing_event', 257],
        ['leaf_mismatch', 401],
      ]);
      expect(strip(there)).toEqual(strip(here));
    } finally {
      await db.drop();
    }
  });

  it('catches a rewrite of events and tree together by the signed checkpoints', async () => {
    const db = await createTestDb();
    try {
      await addEvents(db.pool, 300);
      await advanceLog(db.pool);
      await checkpoint(db.pool, signer, { origin: DEFAULT_ORIGIN, now: T0 });
      await addEvents(db.pool, 300, 'later');
      await advanceLog(db.pool);
      await checkpoint(db.pool, signer, { origin: DEFAULT_ORIGIN, now: T0 });
      // The attacker edits an event, then rebuilds the whole tree so that tiles agree with it.
      await tamper(db, "UPDATE events SET payload = '{}', payload_sha256 = sha256('{}') WHERE seq = 400");
      await db.pool.query('DELETE FROM merkle_tiles');
      await db.pool.query('UPDATE merkle_state SET tree_size = 0');
      await advanceLog(db.pool);
      const r = await verify(db);
      expect(r.problems).toEqual([
        expect.objectContaining({ kind: 'checkpoint_root', seq: 301, lastSeq: 600 }),
      ]);
      // ... and the platform refuses to sign over the rewritten tree.
      await addEvents(db.pool, 1, 'after');
      await advanceLog(db.pool);
      await expect(checkpoint(db.pool, signer, { origin: DEFAULT_ORIGIN, now: T0 })).rejects.toMatchObject({
        code: 'LOG_INCONSISTENT',
      });
    } finally {
      await db.drop();
    }
  });

  it('rejects a checkpoint not signed by a trusted key, and a damaged tree tile', async () => {
    const db = await logOf(600);
    try {
      const forger = ed25519Signer(DEFAULT_ORIGIN, Buffer.alloc(32, 1));
      await addEvents(db.pool, 10, 'x');
      await advanceLog(db.pool);
      await checkpoint(db.pool, forger, { origin: DEFAULT_ORIGIN, now: T0 });
      await db.pool.query(
        'UPDATE merkle_tiles SET hashes = set_byte(hashes, 0, get_byte(hashes, 0) # 1) WHERE level = 1',
      );
      const r = await verify(db);
      expect(r.problems.map((p) => p.kind).sort()).toEqual(['checkpoint_signature', 'tree_tile']);
    } finally {
      await db.drop();
    }
  });

  it('the CLI exits 1 and names the first broken entry', async () => {
    const db = await logOf(300);
    const saved = { ...process.env };
    try {
      Object.assign(process.env, TEST_KEYS, { DATABASE_URL: db.url });
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: () => undefined };
      expect(await verifyLogCommand([], io)).toBe(0);
      expect(out.join('\n')).toMatch(/OK/);
      await tamper(db, "UPDATE events SET entity_id = 'forged' WHERE seq = 123");
      out.length = 0;
      expect(await verifyLogCommand([], io)).toBe(1);
      expect(out.join('\n')).toMatch(/first broken entry: seq 123/);
      out.length = 0;
      expect(
        await verifyLogCommand(
          ['--only-keys', '--key', ed25519Signer(DEFAULT_ORIGIN, Buffer.alloc(32, 2)).vkey],
          io,
        ),
      ).toBe(1);
    } finally {
      process.env = saved;
      await db.drop();
    }
  });
});

describe('a rotated signing key', () => {
  it('stays published and trusted, so checkpoints it signed still verify', async () => {
    const db = await logOf(200); // checkpoint signed with the test key
    const saved = { ...process.env };
    const newKey = Buffer.alloc(32, 7).toString('base64');
    try {
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
      // Rotated without keeping the old key: the old checkpoint is no longer vouched for.
      Object.assign(process.env, TEST_KEYS, { DATABASE_URL: db.url, XINYONG_SIGNING_KEY: newKey });
      delete process.env.XINYONG_SIGNING_KEY_PREVIOUS;
      expect(await verifyLogCommand([], io)).toBe(1);
      // The old key kept as previous: verified.
      process.env.XINYONG_SIGNING_KEY_PREVIOUS = TEST_KEYS.XINYONG_SIGNING_KEY;
      out.length = 0;
      expect(await verifyLogCommand([], io)).toBe(0);
      expect(out.join('\n')).toMatch(/OK/);
    } finally {
      process.env = saved;
      await db.drop();
    }
    // The server publishes both, the current key first.
    const app = await createTestApp(undefined, {
      XINYONG_SIGNING_KEY: newKey,
      XINYONG_SIGNING_KEY_PREVIOUS: TEST_KEYS.XINYONG_SIGNING_KEY,
    });
    try {
      const keys = (await app.app.inject({ method: 'GET', url: '/.well-known/xinyong/log-keys' })).json();
      expect(keys.keys.map((k: { vkey: string }) => k.vkey)).toEqual([
        ed25519Signer(DEFAULT_ORIGIN, Buffer.from(newKey, 'base64')).vkey,
        signer.vkey,
      ]);
    } finally {
      await app.close();
    }
  });
});

describe('concurrency and the scheduler', () => {
  it('two concurrent advanceLog calls append every event exactly once', async () => {
    const db = await createTestDb();
    try {
      await addEvents(db.pool, 3000);
      const writer = addEvents(db.pool, 1000, 'late'); // events keep arriving meanwhile
      const [a, b] = await Promise.all([
        advanceLog(db.pool, { batchSize: 256 }),
        advanceLog(db.pool, { batchSize: 300 }),
        writer,
      ]);
      expect(a.appended + b.appended).toBeGreaterThanOrEqual(3000);
      await advanceLog(db.pool);
      const state = await db.pool.query('SELECT tree_size FROM merkle_state');
      expect(state.rows[0].tree_size).toBe(4000);
      await checkpoint(db.pool, signer, { origin: DEFAULT_ORIGIN, now: T0 });
      expect((await verify(db)).ok).toBe(true);
    } finally {
      await db.drop();
    }
  });

  it('the server signs checkpoints on its own when XINYONG_CHECKPOINT_MS is set', async () => {
    const db = await createTestDb();
    process.env.XINYONG_CHECKPOINT_MS = '100';
    const app = await buildApp({ config: testConfig(), pool: db.pool });
    try {
      await app.ready();
      await addEvents(db.pool, 50);
      let cp = await app.inject({ method: 'GET', url: '/api/v1/log/checkpoint?format=json' });
      for (let i = 0; i < 100 && cp.statusCode !== 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        cp = await app.inject({ method: 'GET', url: '/api/v1/log/checkpoint?format=json' });
      }
      expect(cp.json().treeSize).toBe(50);
    } finally {
      delete process.env.XINYONG_CHECKPOINT_MS;
      await app.close();
      await db.drop();
    }
  });
});
