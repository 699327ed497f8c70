import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEYS, type TestApp } from '../../../../test/support/app';
import { createTestDb } from '../../../../test/support/db';
import { verifyLogCommand } from '../../../cli/verify-log';
import { makeCitizenId, makeUscc } from '../../../domain/identifiers';
import { SYSTEM, type Ctx } from '../../platform/context';
import { createFieldCrypto } from '../../platform/crypto';
import { withTransaction } from '../../platform/db';
import { appendEvents, type NewEvent } from '../../platform/events';
import { markDisputed, stopRecord, submitRecords } from '../records';
import {
  addPenalties,
  buildDistrict,
  createAppWith,
  listSubject,
  login,
  penalty,
  type District,
} from '../remedies/remedies.test-support';
import { registerSubject, updateSubject } from '../subjects';
import {
  DEFAULT_ORIGIN,
  advanceLog,
  checkpoint,
  ed25519Signer,
  rotateFieldKey,
  storedPayloadSha256,
  verifyLog,
  type VerifyProblem,
} from '.';
import { compactHash } from './audit.state.rows';

/**
 * verify-log's second pass: the state tables against the events that wrote them. A district with
 * records created, corrected, withdrawn, under objection, re-encrypted by a key rotation, and a
 * subject updated; then rows edited behind the application's back, one at a time, each named.
 */
const signer = ed25519Signer(DEFAULT_ORIGIN, Buffer.from(TEST_KEYS.XINYONG_SIGNING_KEY, 'base64'));
const T0 = new Date('2026-06-01T02:00:00Z');

let t: TestApp;
let d: District;
/** plain: created only; corrected: version 2; sensitive: re-encrypted by the rotation; withdrawn. */
/** legacy: created by the code before record.created hashed the stored form (see beforeAll). */
const r = { plain: 0, corrected: 0, sensitive: 0, withdrawn: 0, legacy: 0 };
/** listed: proposed … decided and published (5 steps); withdrawn: proposed with a document and a party. */
const entry = { listed: 0, withdrawn: 0 };
/** renamed: company d, renamed (a former and a current name); registered: with a former name at registration. */
const subj = { renamed: 0, registered: 0 };
const seqOf: Record<string, number> = {};

const ctxAt = (db: Ctx['db'], now: Date): Ctx => ({ db, actor: SYSTEM, requestId: 'state-test', now });

async function eventSeq(type: string, entityId: number | string): Promise<number> {
  const { rows } = await t.db.pool.query<{ seq: number }>(
    'SELECT max(seq) AS seq FROM events WHERE type = $1 AND entity_id = $2',
    [type, String(entityId)],
  );
  return Number(rows[0]?.seq);
}

beforeAll(async () => {
  t = await createAppWith(T0);
  d = await buildDistrict(t, new Date('2026-01-01T00:00:00Z'));
  const crypto = t.app.platform.crypto;
  const ids = await addPenalties(t, d, new Date('2026-03-01T01:00:00Z'), [
    { company: d.companies.a, docNo: '渝中市监罚〔2026〕1号', date: '2026-02-01' },
    { company: d.companies.b, docNo: '渝中市监罚〔2026〕2号', date: '2026-02-02' },
    {
      company: d.companies.c,
      docNo: '渝中市监罚〔2026〕3号',
      date: '2026-02-03',
      over: { CF_FR_ZJLX: '身份证', CF_FR_ZJHM: makeCitizenId('500103', '19700101', '123') },
    },
    { company: d.companies.d, docNo: '渝中市监罚〔2026〕4号', date: '2026-02-04' },
  ]);
  [r.plain, r.corrected, r.sensitive, r.withdrawn] = ids as [number, number, number, number];
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = ctxAt(tx, new Date('2026-04-01T01:00:00Z'));
    const [out] = await submitRecords(
      ctx,
      crypto,
      d.market.id,
      [
        {
          itemCode: 'XZCF',
          payload: penalty(d, d.companies.b, {
            CF_WSH: '渝中市监罚〔2026〕2号',
            CF_JDRQ: '2026-02-02',
            CF_NR: '罚款3000元',
          }),
        },
      ],
      { changeReason: '更正罚款金额' },
    );
    expect(out).toMatchObject({ outcome: 'updated', version: 2 });
    await stopRecord(ctx, r.withdrawn, { kind: 'withdrawn', reason: '撤销处罚决定' });
    // An objection opened on the record, as the remedies module writes it: mark and event together.
    await markDisputed(ctx, r.plain, ctx.now);
    await appendEvents(ctx, [
      {
        type: 'objection.opened',
        entityType: 'objection',
        entityId: 1,
        subjectId: d.companies.a.id,
        payload: { objectionId: 1, recordId: r.plain, ground: 'record_error' },
      },
    ]);
    await updateSubject(ctx, d.companies.a.id, { legalRep: '王五', reason: '法定代表人变更' });
  });
  // A record created as the code before the stored-form hash logged it: a record.created without
  // `version`, hashing the payload in the submitter's field order. verify-log can only compare such
  // a payload with its twin row (head with version 1), as for installations that hold them.
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = ctxAt(tx, new Date('2026-04-02T01:00:00Z'));
    const payload = penalty(d, d.companies.a, { CF_WSH: '渝中市监罚〔2026〕5号', CF_JDRQ: '2026-02-05' });
    const legacy = (events: NewEvent[]) =>
      appendEvents(
        ctx,
        events.map((e) => {
          const { version: _v, stopKind: _s, ...rest } = e.payload as Record<string, unknown>;
          const submitted = createHash('sha256').update(JSON.stringify(payload)).digest('hex');
          return { ...e, payload: { ...rest, payloadSha256: submitted } };
        }),
      ).then(() => undefined);
    const [out] = await submitRecords(ctx, crypto, d.market.id, [{ itemCode: 'XZCF', payload }], {
      emit: legacy,
    });
    expect(out).toMatchObject({ outcome: 'created' });
    r.legacy = (out as { recordId: number }).recordId;
  });
  // A subject renamed (its first name becomes former) and one registered with a former name.
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = ctxAt(tx, new Date('2026-04-03T01:00:00Z'));
    subj.renamed = d.companies.d.id;
    await updateSubject(ctx, subj.renamed, { name: '重庆朝天门供应链有限公司', reason: '企业名称变更' });
    const registered = await registerSubject(ctx, crypto, {
      uscc: makeUscc('91', '500103', 'MR000009'),
      name: '重庆两江新材料有限公司',
      formerNames: ['重庆两江化工有限公司'],
      origin: 'registry',
    });
    subj.registered = registered.id;
  });
  // Two list entries through the API (before the rotation: sessions need the current field key):
  // one listed and published, one withdrawn before a decision.
  entry.listed = await listSubject(
    t,
    'TAX_MAJOR_VIOLATION',
    d.companies.a.uscc,
    [r.plain],
    '渝中税列〔2026〕1号',
  );
  const officer = await login(t, 'officer-b');
  const proposed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/list-entries',
    headers: officer,
    payload: {
      listType: 'TAX_MAJOR_VIOLATION',
      subject: d.companies.d.uscc,
      summary: '虚开增值税专用发票',
      facts: [{ docNo: '渝中税罚〔2026〕7号', title: '税务行政处罚决定书', date: '2026-03-02' }],
      parties: [{ subject: d.companies.c.uscc, role: 'affiliate', note: '关联企业' }],
    },
  });
  expect(proposed.statusCode, proposed.body).toBe(201);
  entry.withdrawn = proposed.json().id as number;
  const withdrawn = await t.app.inject({
    method: 'POST',
    url: `/api/v1/list-entries/${entry.withdrawn}/withdrawal`,
    headers: officer,
    payload: { reason: '事实需进一步核实' },
  });
  expect(withdrawn.statusCode, withdrawn.body).toBe(200);
  // A field-key rotation re-encrypts the sensitive record's payload and logs its new hashes.
  const keyA = Buffer.from(TEST_KEYS.XINYONG_FIELD_KEY, 'base64');
  const blind = Buffer.from(TEST_KEYS.XINYONG_BLIND_INDEX_KEY, 'base64');
  const rotation = await rotateFieldKey(t.db.pool, createFieldCrypto(randomBytes(32), blind, [keyA]));
  expect(rotation.complete).toBe(true);
  await advanceLog(t.db.pool);
  await checkpoint(t.db.pool, signer, { origin: DEFAULT_ORIGIN, now: T0 });
  seqOf.plain = await eventSeq('record.created', r.plain);
  seqOf.legacy = await eventSeq('record.created', r.legacy);
  seqOf.corrected = await eventSeq('record.corrected', r.corrected);
  seqOf.withdrawn = await eventSeq('record.withdrawn', r.withdrawn);
  seqOf.objection = await eventSeq('objection.opened', 1);
  seqOf.decided = await eventSeq('list_entry.decided', entry.listed);
  seqOf.published = await eventSeq('list_entry.published', entry.listed);
  seqOf.proposed = await eventSeq('list_entry.proposed', entry.withdrawn);
  seqOf.withdrawnEntry = await eventSeq('list_entry.withdrawn', entry.withdrawn);
  seqOf.renamedCreated = await eventSeq('subject.created', subj.renamed);
  seqOf.renamed = await eventSeq('subject.renamed', subj.renamed);
  seqOf.registered = await eventSeq('subject.created', subj.registered);
  const { rows } = await t.db.pool.query<{ seq: number }>(
    "SELECT max(seq) AS seq FROM events WHERE type = 'security.field_key_reencrypted' AND payload LIKE '%\"records.payload\"%'",
  );
  seqOf.rotation = Number(rows[0]?.seq);
}, 180_000);
afterAll(async () => t?.close());

const verify = () => verifyLog(t.db.pool, { trusted: [signer], stateBatchSize: 2 });

/** Runs `sql` (an edit behind the application's back), verifies, then puts the row back with `undo`. */
async function tampered(sql: string, undo: string, values: unknown[] = [], undoValues = values) {
  await t.db.pool.query(sql, values);
  try {
    return await verify();
  } finally {
    await t.db.pool.query(undo, undoValues);
  }
}

const rows = (problems: VerifyProblem[]) =>
  problems.map((p) => [p.kind, p.table, p.id, p.version ?? null, p.columns, p.seq]);

describe('verify-log: state tables against the log', () => {
  it('passes an untouched database', async () => {
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.state).toMatchObject({
      records: 5,
      recordVersions: 6,
      recordStops: 1,
      subjects: 5,
      subjectVersions: 7,
      // a, b, c: their names; d: its first name (former) and its new one; the registered subject:
      // its name and the former name given at registration.
      subjectNames: 7,
      listEntries: 2,
      listEntrySteps: 7,
      // Only the legacy record's head and version 1 (its record.created hashed the submitted field
      // order); every other payload is decided by the hash of its stored form.
      unverifiedPayloads: 2,
      problemCount: 0,
    });
  });

  it('names a record whose payload was changed by one byte', async () => {
    const sql =
      "UPDATE records SET payload = replace(payload::text, '罚款3000元', '罚款3001元')::jsonb WHERE id = $1";
    const undo =
      "UPDATE records SET payload = replace(payload::text, '罚款3001元', '罚款3000元')::jsonb WHERE id = $1";
    const report = await tampered(sql, undo, [r.corrected]);
    expect(report.ok).toBe(false);
    expect(report.firstBrokenRow).toBe(`records ${r.corrected}`);
    expect(rows(report.problems)).toEqual([
      ['state_mismatch', 'records', r.corrected, null, ['payload'], seqOf.corrected],
    ]);
  });

  it('names a created-only record whose payload was changed, by the hash record.created logged', async () => {
    const sql =
      "UPDATE records SET payload = replace(payload::text, '罚款2000元', '罚款2001元')::jsonb WHERE id = $1";
    const undo =
      "UPDATE records SET payload = replace(payload::text, '罚款2001元', '罚款2000元')::jsonb WHERE id = $1";
    const report = await tampered(sql, undo, [r.plain]);
    expect(rows(report.problems)).toEqual([
      ['state_mismatch', 'records', r.plain, null, ['payload'], seqOf.plain],
    ]);
    expect(report.problems[0]?.message).toMatch(/the log says/);
    // Head and version 1 changed alike (a twin comparison would not see it): both named.
    const edit = (from: string, to: string) =>
      `WITH v AS (UPDATE record_versions SET payload = replace(payload::text, '${from}', '${to}')::jsonb
                   WHERE record_id = $1 AND version = 1)
       UPDATE records SET payload = replace(payload::text, '${from}', '${to}')::jsonb WHERE id = $1`;
    const both = await tampered(edit('罚款2000元', '罚款2001元'), edit('罚款2001元', '罚款2000元'), [
      r.plain,
    ]);
    expect(rows(both.problems)).toEqual([
      ['state_mismatch', 'record_versions', r.plain, 1, ['payload'], seqOf.plain],
      ['state_mismatch', 'records', r.plain, null, ['payload'], seqOf.plain],
    ]);
  });

  it('names a legacy created-only payload by its version twin', async () => {
    const sql =
      "UPDATE records SET payload = replace(payload::text, '罚款2000元', '罚款2001元')::jsonb WHERE id = $1";
    const undo =
      "UPDATE records SET payload = replace(payload::text, '罚款2001元', '罚款2000元')::jsonb WHERE id = $1";
    const report = await tampered(sql, undo, [r.legacy]);
    expect(rows(report.problems)).toEqual([
      ['state_mismatch', 'records', r.legacy, null, ['payload'], seqOf.legacy],
    ]);
    expect(report.problems[0]?.message).toMatch(/differs from record_versions v1/);
  });

  it('names a re-encrypted payload changed after the rotation, by the rotation hash', async () => {
    const sql =
      "UPDATE records SET payload = replace(payload::text, '罚款2000元', '罚款2001元')::jsonb WHERE id = $1";
    const undo =
      "UPDATE records SET payload = replace(payload::text, '罚款2001元', '罚款2000元')::jsonb WHERE id = $1";
    const report = await tampered(sql, undo, [r.sensitive]);
    expect(rows(report.problems)).toEqual([
      ['state_mismatch', 'records', r.sensitive, null, ['payload'], seqOf.rotation],
    ]);
  });

  it('names a changed decision date, window or subject', async () => {
    const dates = await tampered(
      'UPDATE records SET decision_date = decision_date + 1, window_until = window_until + 365 WHERE id = $1',
      'UPDATE records SET decision_date = decision_date - 1, window_until = window_until - 365 WHERE id = $1',
      [r.corrected],
    );
    expect(rows(dates.problems)).toEqual([
      ['state_mismatch', 'records', r.corrected, null, ['decision_date', 'window_until'], seqOf.corrected],
    ]);
    expect(dates.problems[0]?.message).toContain('decision_date is "2026-02-03", the log says "2026-02-02"');

    const moved = await tampered(
      'UPDATE records SET subject_id = $2 WHERE id = $1',
      'UPDATE records SET subject_id = $2 WHERE id = $1',
      [r.plain, d.companies.b.id],
      [r.plain, d.companies.a.id],
    );
    expect(rows(moved.problems)).toEqual([
      ['state_mismatch', 'records', r.plain, null, ['subject_id'], seqOf.plain],
    ]);
  });

  it('names a changed version row and a deleted one', async () => {
    const payload = await tampered(
      "UPDATE record_versions SET payload = replace(payload::text, '罚款3000元', '罚款3001元')::jsonb WHERE record_id = $1 AND version = 2",
      "UPDATE record_versions SET payload = replace(payload::text, '罚款3001元', '罚款3000元')::jsonb WHERE record_id = $1 AND version = 2",
      [r.corrected],
    );
    expect(rows(payload.problems)).toEqual([
      ['state_mismatch', 'record_versions', r.corrected, 2, ['payload'], seqOf.corrected],
    ]);
    expect(payload.firstBrokenRow).toBe(`record_versions ${r.corrected} v2`);

    const changed = await tampered(
      `UPDATE record_versions SET decision_date = decision_date - 30,
              payload = replace(payload::text, '罚款2000元', '罚款200元')::jsonb
        WHERE record_id = $1 AND version = 1`,
      `UPDATE record_versions SET decision_date = decision_date + 30,
              payload = replace(payload::text, '罚款200元', '罚款2000元')::jsonb
        WHERE record_id = $1 AND version = 1`,
      [r.corrected],
    );
    expect(rows(changed.problems)).toEqual([
      // Version 1 was written by record.created, which logged the hash of the stored payload.
      [
        'state_mismatch',
        'record_versions',
        r.corrected,
        1,
        ['decision_date', 'payload'],
        await eventSeq('record.created', r.corrected),
      ],
    ]);

    await t.db.pool.query(
      'CREATE TABLE saved_version AS SELECT * FROM record_versions WHERE record_id = $1 AND version = 2',
      [r.corrected],
    );
    const deleted = await tampered(
      'DELETE FROM record_versions WHERE record_id = $1 AND version = 2',
      'INSERT INTO record_versions SELECT * FROM saved_version WHERE record_id = $1',
      [r.corrected],
    );
    await t.db.pool.query('DROP TABLE saved_version');
    expect(rows(deleted.problems)).toEqual([
      ['state_missing', 'record_versions', r.corrected, 2, [], seqOf.corrected],
    ]);
  });

  it('names an undone withdrawal, a cleared objection mark and a renamed subject', async () => {
    const stop = await tampered(
      'UPDATE records SET stop_kind = NULL, stopped_at = NULL WHERE id = $1',
      `UPDATE records SET stop_kind = 'withdrawn', stopped_at = updated_at WHERE id = $1`,
      [r.withdrawn],
    );
    expect(rows(stop.problems)).toEqual([
      ['state_mismatch', 'records', r.withdrawn, null, ['stop_kind', 'stopped_at'], seqOf.withdrawn],
    ]);
    const mark = await tampered(
      'UPDATE records SET disputed_since = NULL WHERE id = $1',
      "UPDATE records SET disputed_since = '2026-04-01T01:00:00Z' WHERE id = $1",
      [r.plain],
    );
    expect(rows(mark.problems)).toEqual([
      ['state_mismatch', 'records', r.plain, null, ['disputed_since'], seqOf.objection],
    ]);
    const name = await tampered(
      "UPDATE subjects SET name = name || '（改）' WHERE id = $1",
      "UPDATE subjects SET name = replace(name, '（改）', '') WHERE id = $1",
      [d.companies.b.id],
    );
    expect(rows(name.problems)).toEqual([
      [
        'state_mismatch',
        'subjects',
        d.companies.b.id,
        null,
        ['name'],
        await eventSeq('subject.created', d.companies.b.id),
      ],
    ]);
  });

  it('names a record row that no event wrote', async () => {
    const { rows: added } = await t.db.pool.query<{ id: number }>(
      `INSERT INTO records (subject_id, item_code, item_version, category_code, department_id, doc_no, decision_date,
                           severity, payload, window_from, window_until, version, created_at, updated_at)
       SELECT subject_id, item_code, item_version, category_code, department_id, doc_no || '-x', decision_date,
              severity, payload, window_from, window_until, 1, created_at, updated_at
         FROM records WHERE id = $1 RETURNING id`,
      [r.plain],
    );
    const id = added[0]?.id as number;
    try {
      const report = await verify();
      expect(rows(report.problems)).toEqual([['state_unlogged', 'records', id, null, [], 0]]);
    } finally {
      await t.db.pool.query('DELETE FROM records WHERE id = $1', [id]);
    }
  });

  it('names a list entry whose stage, period or end was edited', async () => {
    const listed = await tampered(
      "UPDATE list_entries SET stage = 'not_listed', effective_until = effective_until + 365 WHERE id = $1",
      "UPDATE list_entries SET stage = 'listed', effective_until = effective_until - 365 WHERE id = $1",
      [entry.listed],
    );
    expect(listed.ok).toBe(false);
    expect(listed.firstBrokenRow).toBe(`list_entries ${entry.listed}`);
    expect(rows(listed.problems)).toEqual([
      ['state_mismatch', 'list_entries', entry.listed, null, ['stage', 'effective_until'], seqOf.decided],
    ]);
    expect(listed.problems[0]?.message).toContain('stage is "not_listed", the log says "listed"');

    const ended = await tampered(
      "UPDATE list_entries SET ended_at = '2026-05-01T00:00:00Z', end_reason = 'early_exit' WHERE id = $1",
      'UPDATE list_entries SET ended_at = NULL, end_reason = NULL WHERE id = $1',
      [entry.listed],
    );
    expect(rows(ended.problems)).toEqual([
      [
        'state_mismatch',
        'list_entries',
        entry.listed,
        null,
        ['ended_at', 'end_reason'],
        await eventSeq('list_entry.proposed', entry.listed),
      ],
    ]);

    const published = await tampered(
      "UPDATE list_entries SET published_at = published_at + interval '1 day' WHERE id = $1",
      "UPDATE list_entries SET published_at = published_at - interval '1 day' WHERE id = $1",
      [entry.listed],
    );
    expect(rows(published.problems)).toEqual([
      ['state_mismatch', 'list_entries', entry.listed, null, ['published_at'], seqOf.published],
    ]);

    const note = await tampered(
      "UPDATE list_entries SET end_note = '已改' WHERE id = $1",
      "UPDATE list_entries SET end_note = '事实需进一步核实' WHERE id = $1",
      [entry.withdrawn],
    );
    expect(rows(note.problems)).toEqual([
      ['state_mismatch', 'list_entries', entry.withdrawn, null, ['end_note'], seqOf.withdrawnEntry],
    ]);
  });

  it('names an edited or deleted step, fact or party of a list entry', async () => {
    const step = await tampered(
      `UPDATE list_entry_steps SET data = jsonb_set(data, '{decisionNo}', '"渝中税列〔2026〕2号"')
        WHERE entry_id = $1 AND step = 'decided'`,
      `UPDATE list_entry_steps SET data = jsonb_set(data, '{decisionNo}', '"渝中税列〔2026〕1号"')
        WHERE entry_id = $1 AND step = 'decided'`,
      [entry.listed],
    );
    expect(rows(step.problems)).toEqual([
      ['state_mismatch', 'list_entry_steps', entry.listed, 4, ['data'], seqOf.decided],
    ]);
    expect(step.firstBrokenRow).toBe(`list_entry_steps ${entry.listed} #4`);

    await t.db.pool.query(
      "CREATE TABLE saved_step AS SELECT * FROM list_entry_steps WHERE entry_id = $1 AND step = 'published'",
      [entry.listed],
    );
    const deleted = await tampered(
      "DELETE FROM list_entry_steps WHERE entry_id = $1 AND step = 'published'",
      'INSERT INTO list_entry_steps OVERRIDING SYSTEM VALUE SELECT * FROM saved_step',
      [entry.listed],
      [],
    );
    await t.db.pool.query('DROP TABLE saved_step');
    expect(rows(deleted.problems)).toEqual([
      ['state_missing', 'list_entry_steps', entry.listed, 5, [], seqOf.published],
    ]);

    const fact = await tampered(
      "UPDATE list_entry_facts SET doc_no = '渝中税罚〔2026〕8号' WHERE entry_id = $1",
      "UPDATE list_entry_facts SET doc_no = '渝中税罚〔2026〕7号' WHERE entry_id = $1",
      [entry.withdrawn],
    );
    expect(rows(fact.problems)).toEqual([
      ['state_mismatch', 'list_entry_facts', entry.withdrawn, 1, ['doc_no'], seqOf.proposed],
    ]);

    const party = await tampered(
      "UPDATE list_entry_parties SET note = '无关' WHERE entry_id = $1",
      "UPDATE list_entry_parties SET note = '关联企业' WHERE entry_id = $1",
      [entry.withdrawn],
    );
    expect(rows(party.problems)).toEqual([
      ['state_mismatch', 'list_entry_parties', entry.withdrawn, 1, ['note'], seqOf.proposed],
    ]);
  });

  it('names a list entry that no event wrote', async () => {
    const { rows: added } = await t.db.pool.query<{ id: number }>(
      `INSERT INTO list_entries (list_type_code, list_type_version, list_kind, subject_id, department_id, stage,
                                 facts_key, summary, proposed_at, created_at, updated_at)
       SELECT list_type_code, list_type_version, list_kind, subject_id, department_id, 'proposed', facts_key,
              summary, proposed_at, created_at, updated_at
         FROM list_entries WHERE id = $1 RETURNING id`,
      [entry.withdrawn],
    );
    const id = added[0]?.id as number;
    try {
      const report = await verify();
      expect(rows(report.problems)).toEqual([['state_unlogged', 'list_entries', id, null, [], 0]]);
    } finally {
      await t.db.pool.query('DELETE FROM list_entries WHERE id = $1', [id]);
    }
  });

  it('names an edited, deleted or inserted stop of a record', async () => {
    const reason = await tampered(
      "UPDATE record_stops SET reason = '误录' WHERE record_id = $1",
      "UPDATE record_stops SET reason = '撤销处罚决定' WHERE record_id = $1",
      [r.withdrawn],
    );
    expect(rows(reason.problems)).toEqual([
      ['state_mismatch', 'record_stops', r.withdrawn, 1, ['reason'], seqOf.withdrawn],
    ]);
    expect(reason.firstBrokenRow).toBe(`record_stops ${r.withdrawn} #1`);
    expect(reason.problems[0]?.message).toContain('reason is "误录", the log says "撤销处罚决定"');

    const kind = await tampered(
      "UPDATE record_stops SET kind = 'court_order' WHERE record_id = $1",
      "UPDATE record_stops SET kind = 'withdrawn' WHERE record_id = $1",
      [r.withdrawn],
    );
    expect(rows(kind.problems)).toEqual([
      ['state_mismatch', 'record_stops', r.withdrawn, 1, ['kind'], seqOf.withdrawn],
    ]);

    const recorded = await tampered(
      "UPDATE record_stops SET recorded_at = recorded_at - interval '1 day' WHERE record_id = $1",
      "UPDATE record_stops SET recorded_at = recorded_at + interval '1 day' WHERE record_id = $1",
      [r.withdrawn],
    );
    expect(rows(recorded.problems)).toEqual([
      ['state_mismatch', 'record_stops', r.withdrawn, 1, ['recorded_at'], seqOf.withdrawn],
    ]);

    // The effective time is not logged: not after the stop was logged, and the head's stopped_at.
    const later = await tampered(
      "UPDATE record_stops SET effective_at = effective_at + interval '1 day' WHERE record_id = $1",
      "UPDATE record_stops SET effective_at = effective_at - interval '1 day' WHERE record_id = $1",
      [r.withdrawn],
    );
    const earlier = await tampered(
      "UPDATE record_stops SET effective_at = effective_at - interval '30 days' WHERE record_id = $1",
      "UPDATE record_stops SET effective_at = effective_at + interval '30 days' WHERE record_id = $1",
      [r.withdrawn],
    );
    const lifted = await tampered(
      "UPDATE record_stops SET lifted_at = recorded_at, lift_reason = '误撤' WHERE record_id = $1",
      'UPDATE record_stops SET lifted_at = NULL, lift_reason = NULL WHERE record_id = $1',
      [r.withdrawn],
    );
    for (const [report, columns] of [
      [later, ['effective_at']],
      [earlier, ['effective_at']],
      [lifted, ['lifted_at', 'lift_reason']],
    ] as const)
      expect(rows(report.problems)).toEqual([
        ['state_mismatch', 'record_stops', r.withdrawn, 1, columns, seqOf.withdrawn],
      ]);

    await t.db.pool.query('CREATE TABLE saved_stop AS SELECT * FROM record_stops WHERE record_id = $1', [
      r.withdrawn,
    ]);
    const deleted = await tampered(
      'DELETE FROM record_stops WHERE record_id = $1',
      'INSERT INTO record_stops OVERRIDING SYSTEM VALUE SELECT * FROM saved_stop',
      [r.withdrawn],
      [],
    );
    await t.db.pool.query('DROP TABLE saved_stop');
    expect(rows(deleted.problems)).toEqual([
      ['state_missing', 'record_stops', r.withdrawn, 1, [], seqOf.withdrawn],
    ]);

    // A stop no event wrote: on a record never stopped, and a second one on the withdrawn record.
    const insert = `INSERT INTO record_stops (record_id, kind, reason, effective_at, recorded_at, recorded_by)
                    VALUES ($1, 'court_order', '法院裁定', now(), now(), 'system:')`;
    const inserted = await tampered(
      insert,
      'DELETE FROM record_stops WHERE record_id = $1 AND kind = $2',
      [r.plain],
      [r.plain, 'court_order'],
    );
    expect(rows(inserted.problems)).toEqual([['state_unlogged', 'record_stops', r.plain, 1, [], 0]]);
    const second = await tampered(
      insert,
      'DELETE FROM record_stops WHERE record_id = $1 AND kind = $2',
      [r.withdrawn],
      [r.withdrawn, 'court_order'],
    );
    expect(rows(second.problems)).toEqual([['state_unlogged', 'record_stops', r.withdrawn, 2, [], 0]]);
  });

  it('names an edited, deleted or inserted name of a subject', async () => {
    const former = await tampered(
      "UPDATE subject_names SET name = '重庆某某物流有限公司' WHERE subject_id = $1 AND kind = 'former'",
      "UPDATE subject_names SET name = '重庆朝天门物流有限公司' WHERE subject_id = $1 AND kind = 'former'",
      [subj.renamed],
    );
    expect(rows(former.problems)).toEqual([
      ['state_mismatch', 'subject_names', subj.renamed, 1, ['name'], seqOf.renamedCreated],
    ]);
    expect(former.firstBrokenRow).toBe(`subject_names ${subj.renamed} #1`);
    expect(former.problems[0]?.message).toContain(
      'name is "重庆某某物流有限公司", the log says "重庆朝天门物流有限公司"',
    );

    // Made current again (the rename undone in the name history) / its period moved.
    const current = await tampered(
      "UPDATE subject_names SET kind = 'current', valid_to = NULL WHERE subject_id = $1 AND kind = 'former'",
      "UPDATE subject_names SET kind = 'former', valid_to = $2 WHERE subject_id = $1 AND valid_to IS NULL AND valid_from < $2",
      [subj.renamed],
      [subj.renamed, '2026-04-03T01:00:00Z'],
    );
    expect(rows(current.problems)).toEqual([
      ['state_mismatch', 'subject_names', subj.renamed, 1, ['kind', 'valid_to'], seqOf.renamed],
    ]);
    const moved = await tampered(
      "UPDATE subject_names SET valid_from = valid_from - interval '1 year' WHERE subject_id = $1 AND kind = 'former'",
      "UPDATE subject_names SET valid_from = valid_from + interval '1 year' WHERE subject_id = $1 AND kind = 'former'",
      [subj.renamed],
    );
    expect(rows(moved.problems)).toEqual([
      ['state_mismatch', 'subject_names', subj.renamed, 1, ['valid_from'], seqOf.renamedCreated],
    ]);
    const renamed = await tampered(
      "UPDATE subject_names SET name = '重庆某某供应链有限公司' WHERE subject_id = $1 AND kind = 'current'",
      "UPDATE subject_names SET name = '重庆朝天门供应链有限公司' WHERE subject_id = $1 AND kind = 'current'",
      [subj.renamed],
    );
    expect(rows(renamed.problems)).toEqual([
      ['state_mismatch', 'subject_names', subj.renamed, 2, ['name'], seqOf.renamed],
    ]);

    await t.db.pool.query(
      "CREATE TABLE saved_name AS SELECT * FROM subject_names WHERE subject_id = $1 AND kind = 'former'",
      [subj.renamed],
    );
    const deleted = await tampered(
      "DELETE FROM subject_names WHERE subject_id = $1 AND kind = 'former'",
      'INSERT INTO subject_names OVERRIDING SYSTEM VALUE SELECT * FROM saved_name',
      [subj.renamed],
      [],
    );
    await t.db.pool.query('DROP TABLE saved_name');
    expect(rows(deleted.problems)).toEqual([
      ['state_missing', 'subject_names', subj.renamed, 1, [], seqOf.renamedCreated],
    ]);
    expect(deleted.problems[0]?.message).toContain('"重庆朝天门物流有限公司" written by seq');

    // A former name no event gave (kept apart from the registration's, which share its time).
    const inserted = await tampered(
      `INSERT INTO subject_names (subject_id, name, kind, pinyin, initials, valid_from, valid_to)
       VALUES ($1, '重庆鸿药大药房有限公司', 'former', 'x', 'x', '2025-01-01', '2026-01-01')`,
      "DELETE FROM subject_names WHERE subject_id = $1 AND name = '重庆鸿药大药房有限公司'",
      [d.companies.a.id],
    );
    expect(rows(inserted.problems)).toEqual([
      ['state_unlogged', 'subject_names', d.companies.a.id, 2, [], 0],
    ]);

    // The former names given at registration are listed by subject.created: kind, name, presence.
    const registered = await tampered(
      "UPDATE subject_names SET kind = 'current' WHERE subject_id = $1 AND kind = 'former'",
      "UPDATE subject_names SET kind = 'former' WHERE subject_id = $1 AND name = '重庆两江化工有限公司'",
      [subj.registered],
    );
    expect(rows(registered.problems)).toEqual([
      ['state_mismatch', 'subject_names', subj.registered, 2, ['kind'], seqOf.registered],
    ]);
    const renamedFormer = await tampered(
      "UPDATE subject_names SET name = '重庆两江化学有限公司' WHERE subject_id = $1 AND kind = 'former'",
      "UPDATE subject_names SET name = '重庆两江化工有限公司' WHERE subject_id = $1 AND kind = 'former'",
      [subj.registered],
    );
    expect(rows(renamedFormer.problems)).toEqual([
      ['state_mismatch', 'subject_names', subj.registered, 2, ['name'], seqOf.registered],
    ]);
    await t.db.pool.query(
      "CREATE TABLE saved_reg_name AS SELECT * FROM subject_names WHERE subject_id = $1 AND kind = 'former'",
      [subj.registered],
    );
    const regDeleted = await tampered(
      "DELETE FROM subject_names WHERE subject_id = $1 AND kind = 'former'",
      'INSERT INTO subject_names OVERRIDING SYSTEM VALUE SELECT * FROM saved_reg_name',
      [subj.registered],
      [],
    );
    await t.db.pool.query('DROP TABLE saved_reg_name');
    expect(rows(regDeleted.problems)).toEqual([
      ['state_missing', 'subject_names', subj.registered, 2, [], seqOf.registered],
    ]);
    expect(regDeleted.problems[0]?.message).toContain('重庆两江化工有限公司');
  });

  it('finds the same with worker threads as in this thread', async () => {
    await t.db.pool.query("UPDATE records SET window_from = '2026-01-01' WHERE id = $1", [r.withdrawn]);
    await t.db.pool.query("UPDATE subjects SET legal_rep = 'X' WHERE id = $1", [d.companies.c.id]);
    await t.db.pool.query("UPDATE list_entries SET notice_no = 'X' WHERE id = $1", [entry.listed]);
    await t.db.pool.query("UPDATE record_stops SET reason = 'X' WHERE record_id = $1", [r.withdrawn]);
    await t.db.pool.query("UPDATE subject_names SET name = 'X' WHERE subject_id = $1 AND kind = 'former'", [
      subj.renamed,
    ]);
    try {
      const here = await verify();
      const there = await verifyLog(t.db.pool, {
        trusted: [signer],
        stateBatchSize: 2,
        workers: 2,
        workersFrom: 0,
        stateWorkersFrom: 0,
        databaseUrl: t.db.url,
      });
      expect(rows(here.problems)).toEqual([
        ['state_mismatch', 'records', r.withdrawn, null, ['window_from'], seqOf.withdrawn],
        ['state_mismatch', 'record_stops', r.withdrawn, 1, ['reason'], seqOf.withdrawn],
        [
          'state_mismatch',
          'subjects',
          d.companies.c.id,
          null,
          ['legal_rep'],
          await eventSeq('subject.created', d.companies.c.id),
        ],
        ['state_mismatch', 'subject_names', subj.renamed, 1, ['name'], seqOf.renamedCreated],
        [
          'state_mismatch',
          'list_entries',
          entry.listed,
          null,
          ['notice_no'],
          await eventSeq('list_entry.notified', entry.listed),
        ],
      ]);
      expect(there.problems).toEqual(here.problems);
      expect({ ...there.state, seconds: 0 }).toEqual({ ...here.state, seconds: 0 });
    } finally {
      await t.db.pool.query("UPDATE records SET window_from = '2026-02-04' WHERE id = $1", [r.withdrawn]);
      await t.db.pool.query('UPDATE subjects SET legal_rep = NULL WHERE id = $1', [d.companies.c.id]);
      await t.db.pool.query("UPDATE record_stops SET reason = '撤销处罚决定' WHERE record_id = $1", [
        r.withdrawn,
      ]);
      await t.db.pool.query(
        "UPDATE subject_names SET name = '重庆朝天门物流有限公司' WHERE subject_id = $1 AND kind = 'former'",
        [subj.renamed],
      );
      await t.db.pool.query("UPDATE list_entries SET notice_no = '渝中税列〔2026〕1号-告' WHERE id = $1", [
        entry.listed,
      ]);
    }
  });

  it('xinyong verify-log exits 1 and names the row, 0 when it is put back', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => undefined };
    const env = { ...TEST_KEYS, DATABASE_URL: t.db.url, XINYONG_LOG_LEVEL: 'silent' };
    await t.db.pool.query("UPDATE records SET decision_date = '2025-12-31' WHERE id = $1", [r.plain]);
    try {
      expect(await verifyLogCommand([], io, env)).toBe(1);
    } finally {
      await t.db.pool.query("UPDATE records SET decision_date = '2026-02-01' WHERE id = $1", [r.plain]);
    }
    const text = lines.join('\n');
    expect(text).toContain(`first row that disagrees with the log: records ${r.plain}`);
    expect(text).toContain(
      `[state_mismatch] records ${r.plain}: decision_date is "2025-12-31", the log says "2026-02-01" (seq ${seqOf.plain})`,
    );
    lines.length = 0;
    expect(await verifyLogCommand([], io, env)).toBe(0);
    expect(lines.join('\n')).toMatch(
      /state: 5 records, 6 record versions, 1 record stops, 5 subjects, 7 subject versions, 7 subject names, 2 list entries, 7 list entry steps/,
    );
  });
});

describe('storedPayloadSha256', () => {
  const reference = (jsonbText: string) =>
    createHash('sha256')
      .update(JSON.stringify(JSON.parse(jsonbText)))
      .digest('hex');

  it('hashes jsonb text as JSON.stringify(JSON.parse(text)), with and without the fast path', async () => {
    // JSON texts as a client may send them: PostgreSQL keeps numbers as written (1.50, 1e2,
    // 12345678901234567), JavaScript does not.
    const texts: string[] = [
      '{"CF_WSH":"渝中〔2026〕1号","CF_NR_FK":"0.2","n":12,"neg":-7,"ok":true,"none":null}',
      JSON.stringify({
        a: 'line\nbreak\ttab "quoted" back\\slash \u0001 \u001f \u007f',
        emoji: '😀',
        z: '/',
      }),
      '{"list":[1,2,[3,{"b":"x","a":"y"}]],"nested":{"k":{"j":{}}},"empty":[]}',
      '{"fraction":1.50,"trailing":2.5e3,"exp":1E21,"small":1e-7,"big":12345678901234567}',
      '{"10":"digit key","2":"another","x":1}',
      '{" spaced key ":"value with , and : inside","quote\\"key":"v","\\u0041":"\\u00e9"}',
      JSON.stringify({ enc: { enc: 'AQIDBAUGBwgJCgsMDQ4PEA==' }, long: 'x'.repeat(20_000) }),
      '{"amount":100.0,"zero":0,"minusZero":-0,"int":123456789012345}',
    ];
    for (let i = 0; i < 50; i++) {
      const o: Record<string, unknown> = {};
      for (let k = 0; k < 12; k++)
        o[`F_${randomBytes(2).toString('hex')}`] =
          k % 3 === 0 ? Math.floor(Math.random() * 1e6) : `值${randomBytes(3).toString('base64')}`;
      texts.push(JSON.stringify(o));
    }
    const db = await createTestDb();
    try {
      const { rows: out } = await db.pool.query<{ t: string }>(
        'SELECT x::jsonb::text AS t FROM unnest($1::text[]) WITH ORDINALITY AS u(x, n) ORDER BY n',
        [texts],
      );
      let fast = 0;
      for (const { t: text } of out) {
        expect(storedPayloadSha256(text)).toBe(reference(text));
        const bytes = Buffer.from(text, 'utf8');
        const h = compactHash(bytes, 0, bytes.length);
        if (h !== null) {
          fast++;
          expect(h).toBe(reference(text));
        }
      }
      expect(fast).toBeGreaterThan(50); // the common payloads take the fast path
    } finally {
      await db.drop();
    }
  });
});
