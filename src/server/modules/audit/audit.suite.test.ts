import { createPublicKey } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_KEYS, testConfig, type TestApp } from '../../../../test/support/app';
import { createTestDb } from '../../../../test/support/db';
import { verifyLogCommand } from '../../../cli/verify-log';
import { buildApp } from '../../app';
import { SYSTEM } from '../../platform/context';
import { type Pool, withTransaction } from '../../platform/db';
import { appendEvents } from '../../platform/events';
import { feedSigner, verifyFeedPage, verifySigned } from '../feed';
import { DEFAULT_ORIGIN, advanceLog, inclusionProof, sm2Signer } from '.';

/**
 * The 国密 suite as a deployment runs it: XINYONG_LOG_SUITE=sm3-sm2 with an SM2 key made by
 * `openssl genpkey -algorithm SM2` (this one, a test key), the server's own scheduler signing SM2
 * checkpoints over an SM3 tree, proofs over HTTP checked by tools/verify-proof.mjs, and verify-log.
 */
const OPENSSL_SM2_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQgUYxm9edAxnO/+UzS
JaSNjYup0Jfjq/iyKez0hK4CSG2hRANCAAQGqwv7Zjwrpzt/qhQ66zHVa1Njir6I
NEHRJs9FgUq4l7CWphLqR+Xtm2rsqPnbg7BmeFAMue/so+L1S8EV/ptp
-----END PRIVATE KEY-----
`;
const SM_ENV = { XINYONG_LOG_SUITE: 'sm3-sm2', XINYONG_SIGNING_KEY: OPENSSL_SM2_KEY };
const T0 = new Date('2026-06-01T02:00:00Z');

interface Verifier {
  parseKeys(text: string): { hash: string; algorithm: string }[];
  verifyInclusionProof(a: { checkpoint: string; keys: unknown[]; proof: unknown }): { seq: number };
  verifyConsistencyProof(a: {
    checkpoint: string;
    keys: unknown[];
    proof: unknown;
    oldCheckpoint?: string;
  }): { first: number; second: number; firstSigned: boolean };
}

async function addEvents(pool: Pool, n: number, tag: string): Promise<void> {
  await withTransaction(pool, (tx) =>
    appendEvents(
      { db: tx, actor: SYSTEM, requestId: `req-${tag}`, now: T0 },
      Array.from({ length: n }, (_, i) => ({
        type: 'test.happened',
        entityType: 'thing',
        entityId: `${tag}-${i}`,
        payload: { n: i, tag },
      })),
    ),
  );
}

function capture(): { io: { out(l: string): void; err(l: string): void }; text(): string } {
  const lines: string[] = [];
  return {
    io: { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    text: () => lines.join('\n'),
  };
}

describe('the sm3-sm2 suite, configured (XINYONG_LOG_SUITE)', () => {
  let t: TestApp;
  let v: Verifier;
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  /** Waits until the server's own scheduler has signed a checkpoint of at least `size`. */
  async function signedAtLeast(size: number): Promise<{ treeSize: number; note: string; suite: string }> {
    for (let i = 0; i < 200; i++) {
      const res = await get('/api/v1/log/checkpoint?format=json');
      if (res.statusCode === 200 && res.json().treeSize >= size) return res.json();
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no checkpoint of size ${size}`);
  }

  beforeAll(async () => {
    t = await createTestApp(T0, { ...SM_ENV, XINYONG_CHECKPOINT_MS: '100' });
    v = (await import(pathToFileURL(path.resolve('tools/verify-proof.mjs')).href)) as Verifier;
  });
  afterAll(async () => {
    await t?.app.close().catch(() => undefined);
    await t?.db.drop();
  });

  it('publishes the SM2 key, signs SM2 checkpoints over an SM3 tree, serves proofs the verifier accepts', async () => {
    expect(t.config.audit.suite).toBe('sm3-sm2');
    const signer = sm2Signer(DEFAULT_ORIGIN, OPENSSL_SM2_KEY);
    const keysRes = await get('/.well-known/xinyong/log-keys');
    expect(keysRes.json()).toMatchObject({
      origin: DEFAULT_ORIGIN,
      suite: 'sm3-sm2',
      keys: [{ suite: 'sm3-sm2', algorithm: 'SM2-with-SM3', vkey: signer.vkey }],
    });
    const keys = v.parseKeys(keysRes.body);
    expect(keys).toMatchObject([{ hash: 'sm3', algorithm: 'SM2' }]);

    await addEvents(t.db.pool, 300, 'a');
    const first = await signedAtLeast(300);
    expect(first.suite).toBe('sm3-sm2');
    const note1 = (await get('/api/v1/log/checkpoint')).body;
    expect(note1).toBe(first.note);
    const state = await t.db.pool.query('SELECT suite FROM merkle_state');
    expect(state.rows[0].suite).toBe('sm3-sm2');

    for (const seq of [1, 123, first.treeSize]) {
      const proof = (await get(`/api/v1/log/proof/inclusion?seq=${seq}`)).json();
      expect(proof).toMatchObject({ suite: 'sm3-sm2', seq, treeSize: first.treeSize, checkpoint: note1 });
      expect(v.verifyInclusionProof({ checkpoint: note1, keys, proof }).seq).toBe(seq);
      const bad = { ...proof, auditPath: [...proof.auditPath.slice(0, -1), '00'.repeat(32)] };
      if (proof.auditPath.length > 0)
        expect(() => v.verifyInclusionProof({ checkpoint: note1, keys, proof: bad })).toThrow(
          /not in the checkpointed tree/,
        );
    }

    // The log grows; the new head is proved to extend the old one.
    await addEvents(t.db.pool, 200, 'b');
    const second = await signedAtLeast(first.treeSize + 200);
    const note2 = (await get('/api/v1/log/checkpoint')).body;
    const proof = (
      await get(`/api/v1/log/proof/consistency?first=${first.treeSize}&second=${second.treeSize}`)
    ).json();
    expect(proof.suite).toBe('sm3-sm2');
    expect(v.verifyConsistencyProof({ checkpoint: note2, keys, proof, oldCheckpoint: note1 })).toMatchObject({
      first: first.treeSize,
      second: second.treeSize,
      firstSigned: true,
    });
    expect(() =>
      v.verifyConsistencyProof({ checkpoint: note2, keys, proof: { ...proof, firstRoot: '11'.repeat(32) } }),
    ).toThrow(/rewritten/);
  });

  it('signs feed pages with the same SM2 key, which subscribers verify from log-keys', async () => {
    const published = (await get('/.well-known/xinyong/log-keys')).json();
    // What the feed module signs with (feed.routes.ts): the configured key, whatever its suite.
    const signer = feedSigner(t.config.signingKey, t.config.audit.origin);
    expect(signer.keyId).toBe(published.keys[0].keyId);
    const event = signer.sign({ seq: 1, type: 'record.created', at: T0.toISOString() });
    const key = createPublicKey({
      key: Buffer.from(published.keys[0].publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(verifySigned(event, key)).toBe(true);
    expect(verifySigned({ ...event, seq: 2 } as typeof event, key)).toBe(false);
    const page = signer.sign({
      scope: 'public',
      after: null,
      next: 'x',
      more: false,
      issuedAt: T0.toISOString(),
      events: [event],
    });
    expect(verifyFeedPage(page, published)).toMatchObject({ ok: true, events: 1 });
    expect(verifyFeedPage({ ...page, more: true }, published).ok).toBe(false);
  });

  it('refuses to start, and verify-log refuses, with the other suite configured', async () => {
    const other = await buildApp({ config: testConfig(), pool: t.db.pool });
    try {
      await expect(other.ready()).rejects.toThrow(
        /SUITE_MISMATCH: 日志的默克尔树由哈希套件 sm3-sm2 构建.*XINYONG_LOG_SUITE=sha256-ed25519.* \/ The log was built with hash suite sm3-sm2, not the configured XINYONG_LOG_SUITE=sha256-ed25519/,
      );
    } finally {
      await other.close().catch(() => undefined);
    }
    const c = capture();
    expect(await verifyLogCommand([], c.io, { ...TEST_KEYS, DATABASE_URL: t.db.url })).toBe(1);
    expect(c.text()).toMatch(
      /拒绝 \/ REFUSED: 日志的默克尔树由哈希套件 sm3-sm2 构建.*set XINYONG_LOG_SUITE=sm3-sm2/,
    );
  });

  it('verify-log checks the SM3/SM2 log and finds an edited event', async () => {
    await t.app.close(); // the scheduler stops: the log holds still while it is checked
    const env = { ...TEST_KEYS, ...SM_ENV, DATABASE_URL: t.db.url };
    const ok = capture();
    expect(await verifyLogCommand([], ok.io, env)).toBe(0);
    expect(ok.text()).toMatch(/sm3-sm2/);
    expect(ok.text()).toMatch(/通过 \/ OK/);
    // An auditor holding only the published key, on a machine configured for the 国密 suite.
    const vkey = sm2Signer(DEFAULT_ORIGIN, OPENSSL_SM2_KEY).vkey;
    const auditor = { DATABASE_URL: t.db.url, XINYONG_LOG_SUITE: 'sm3-sm2' };
    expect(await verifyLogCommand(['--only-keys', '--key', vkey], capture().io, auditor)).toBe(0);

    await withTransaction(t.db.pool, async (tx) => {
      await tx.query('ALTER TABLE events DISABLE TRIGGER events_no_update');
      await tx.query("UPDATE events SET entity_id = 'forged' WHERE seq = 123");
      await tx.query('ALTER TABLE events ENABLE TRIGGER events_no_update');
    });
    const broken = capture();
    expect(await verifyLogCommand([], broken.io, env)).toBe(1);
    expect(broken.text()).toMatch(/first broken entry: seq 123/);
    expect(broken.text()).toMatch(/\[leaf_mismatch\] seq 123/);
    // The stand-alone verifier sees it too: the event no longer hashes to its logged SM3 leaf.
    const note = (await t.db.pool.query('SELECT note FROM checkpoints ORDER BY tree_size DESC LIMIT 1'))
      .rows[0].note as string;
    const keys = v.parseKeys(vkey);
    const proof = await inclusionProof(t.db.pool, 123, undefined, SYSTEM);
    expect(() => v.verifyInclusionProof({ checkpoint: note, keys, proof })).toThrow(/altered/);
  });
});

describe('a stored tree of the default suite', () => {
  it('refuses a server configured for sm3-sm2', async () => {
    const db = await createTestDb();
    try {
      await addEvents(db.pool, 5, 'ed');
      await advanceLog(db.pool); // the default suite: a SHA-256 tree
      const app = await buildApp({ config: testConfig(SM_ENV), pool: db.pool });
      try {
        await expect(app.ready()).rejects.toThrow(
          /SUITE_MISMATCH: .*sha256-ed25519.*XINYONG_LOG_SUITE=sm3-sm2.* \/ The log was built with hash suite sha256-ed25519/,
        );
      } finally {
        await app.close().catch(() => undefined);
      }
      const c = capture();
      expect(await verifyLogCommand([], c.io, { ...TEST_KEYS, ...SM_ENV, DATABASE_URL: db.url })).toBe(1);
      expect(c.text()).toMatch(/REFUSED: .*set XINYONG_LOG_SUITE=sha256-ed25519/);
    } finally {
      await db.drop();
    }
  });
});
