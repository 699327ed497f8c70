import { ITEM_CODE_PATTERN } from '../../../domain/catalog';
import { checkId } from '../../../domain/identifiers';
import { civilDate } from '../../../domain/periods';
import { actorLabel, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { AppError } from '../../platform/errors';
import { appendEvents, type NewEvent } from '../../platform/events';
import { getItemVersion, isProvider, type ItemVersion } from '../catalog';
import {
  findByIdentifier,
  findManyByCodes,
  formerNamesAsOf,
  registerSubject,
  type Subject,
} from '../subjects';
import {
  checkRow,
  comparable,
  fieldErr,
  invalidCode,
  recordEvent,
  reject,
  rejected,
  storedPayloadHash,
  typeOfCode,
  type Checked,
  type RecordInput,
  type RowOutcome,
} from './records.check';
import { RecordErrors } from './records.errors';
import { recordsRepo, type NewRecordRow, type RecordHeadRow } from './records.repository';

export {
  recordEvent,
  reject,
  type Checked,
  type FieldError,
  type RecordInput,
  type RowOutcome,
} from './records.check';

/**
 * Lookups that stay valid for the whole of the caller's transaction: a bulk import passes the
 * same cache to every chunk so item versions and provider checks are read once per batch.
 */
export interface SubmitCache {
  items: Map<string, ItemVersion | null>;
  providers: Map<string, boolean>;
  /** Subjects found or registered so far, by the code rows name them with. */
  subjects: Map<string, Subject>;
  /** Former names (comparable form) of subjects a row named otherwise than as registered. */
  formerNames: Map<number, readonly string[]>;
}

/** How many subjects a cache keeps before it starts again (a long import names many). */
const SUBJECTS_CACHED = 200_000;

export function newSubmitCache(): SubmitCache {
  return { items: new Map(), providers: new Map(), subjects: new Map(), formerNames: new Map() };
}

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
/** A space beside a character outside printable ASCII (Chinese, 《》): typing noise, not the name's. */
const LOOSE_SPACE = / ?([^ -~]) ?/g;

/**
 * The comparable form of an organisation's name: NFKC, as the registry stores names (full-width
 * brackets, letters and digits become half-width), zero-width characters dropped, runs of spaces
 * folded into one, and spaces beside Chinese (any non-ASCII) characters removed.
 */
export function comparableName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .replace(/\s+/g, ' ')
    .replace(LOOSE_SPACE, '$1')
    .trim();
}

/**
 * Whether a submitted name names the registered subject: its current name or, when it differs, a
 * former one (a decision taken before a renaming names the subject as it was then).
 */
async function nameMatches(
  ctx: Ctx,
  subject: Subject,
  submitted: string,
  cache: SubmitCache | undefined,
): Promise<boolean> {
  const name = comparableName(submitted);
  if (name === comparableName(subject.name)) return true;
  let former = cache?.formerNames.get(subject.id);
  if (!former) {
    former = (await formerNamesAsOf(ctx, subject.id, ctx.now)).map(comparableName);
    if (cache) {
      if (cache.formerNames.size >= SUBJECTS_CACHED) cache.formerNames.clear();
      cache.formerNames.set(subject.id, former);
    }
  }
  return former.includes(name);
}

export interface SubmitOptions {
  /**
   * Unknown subjects with a valid code are registered (marked as created by collection). When
   * false such rows are rejected with SUBJECT_NOT_FOUND (a bulk import retries them at its end).
   */
  registerUnknownSubjects?: boolean;
  /** Checks the registered name against the submitted one (consistency). */
  checkNames?: boolean;
  changeReason?: string | null;
  /**
   * Where the records' events go; by default they are appended to the log at once. A long
   * import collects them and appends them just before it commits, so that the event log's lock
   * is not held while it works.
   */
  emit?: (events: NewEvent[]) => Promise<void>;
  cache?: SubmitCache;
}

interface Prepared {
  index: number;
  item: ItemVersion;
  subject: Subject;
  registered: boolean;
  docNo: string;
  row: Omit<NewRecordRow, 'subjectId'>;
}

async function loadItem(ctx: Ctx, cache: SubmitCache, code: string): Promise<ItemVersion | null> {
  if (cache.items.has(code)) return cache.items.get(code) ?? null;
  let item: ItemVersion | null = null;
  // A code outside the catalogue's code pattern names no item and is not looked up: one the
  // database cannot take (a NUL in it) would fail the statement and abort the transaction, taking
  // the submission's other rows with it.
  if (ITEM_CODE_PATTERN.test(code))
    try {
      item = await getItemVersion(ctx, code);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  cache.items.set(code, item);
  return item;
}

/**
 * Submits records for one providing department: the single service behind the API, file
 * ingestion and the demo seeder. Each row is validated against its catalogue item version; valid
 * rows are created, corrected (a new version when content changed) or left unchanged, all in the
 * caller's transaction, with one event per change. Returns an outcome per row, in input order.
 *
 * Database work is set-based: subjects are resolved in bulk, heads read in one query, new records
 * inserted and corrections applied in a few statements whatever the number of rows.
 */
export async function submitRecords(
  ctx: Ctx,
  crypto: FieldCrypto,
  departmentId: number,
  inputs: readonly RecordInput[],
  opts: SubmitOptions = {},
): Promise<RowOutcome[]> {
  return applySubmission(
    ctx,
    crypto,
    departmentId,
    await checkSubmission(ctx, crypto, departmentId, inputs, opts),
    opts,
  );
}

/** A submission after the checks that need no subject and no stored record (see checkSubmission). */
export interface CheckedSubmission {
  outcomes: RowOutcome[];
  checked: Checked[];
}

/**
 * The first half of submitRecords: catalogue item, provider, schema, dates, severity and
 * disclosure window of every row, and the stored form of its payload. It reads nothing that rows
 * of the same transaction could change (only the item and the provider list, cached), so a bulk
 * import checks the next chunk while the database stores the previous one.
 */
export async function checkSubmission(
  ctx: Ctx,
  crypto: FieldCrypto,
  departmentId: number,
  inputs: readonly RecordInput[],
  opts: SubmitOptions = {},
): Promise<CheckedSubmission> {
  const outcomes: RowOutcome[] = new Array(inputs.length);
  const day = civilDate(ctx.now);
  const cache = opts.cache ?? newSubmitCache();
  const checked: Checked[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i] as RecordInput;
    const item = await loadItem(ctx, cache, input.itemCode);
    if (!item) {
      outcomes[i] = reject(
        RecordErrors.CATALOG_ITEM_UNKNOWN({ field: 'itemCode', item: input.itemCode }),
        'itemCode',
      );
      continue;
    }
    const providerKey = `${item.code}\u0000${departmentId}`;
    if (!cache.providers.has(providerKey))
      cache.providers.set(providerKey, await isProvider(ctx, item.code, departmentId));
    if (!cache.providers.get(providerKey)) {
      outcomes[i] = reject(
        RecordErrors.DEPARTMENT_NOT_PROVIDER({ field: 'itemCode', item: item.code }),
        'itemCode',
      );
      continue;
    }
    const c = checkRow(item, input, i, day, crypto);
    if ('outcome' in c) outcomes[i] = c;
    else checked.push(c);
  }
  return { outcomes, checked };
}

/** The second half of submitRecords: subjects, then create, correct or leave unchanged. */
export async function applySubmission(
  ctx: Ctx,
  crypto: FieldCrypto,
  departmentId: number,
  submission: CheckedSubmission,
  opts: SubmitOptions = {},
): Promise<RowOutcome[]> {
  const { outcomes, checked } = submission;
  const day = civilDate(ctx.now);
  const register = opts.registerUnknownSubjects !== false;

  // 2. Subjects: two queries for every USCC and citizen ID of the submission; other kinds of code
  // (an organisation code typed into the USCC column) one lookup each.
  const cache = opts.cache;
  const subjects = new Map<string, Subject | null>();
  const registered = new Set<string>();
  const codes: string[] = [];
  for (const c of checked) {
    const code = c.uscc || c.idNo;
    if (!code) continue;
    const known = cache?.subjects.get(code);
    if (known) subjects.set(code, known);
    else codes.push(code);
  }
  for (const [code, subject] of await findManyByCodes(ctx, crypto, codes)) subjects.set(code, subject);
  for (const code of new Set(codes)) {
    if (subjects.has(code)) continue;
    const kind = checkId(code);
    if (kind.valid && (kind.kind === 'uscc' || kind.kind === 'citizen_id')) subjects.set(code, null);
  }

  const prepared: Prepared[] = [];
  for (const c of checked) {
    const kf = c.item.keyFields;
    const codeField = c.uscc ? (kf.subjectUscc as string) : (kf.subjectIdNo ?? kf.subjectUscc ?? 'subject');
    const key = c.uscc || c.idNo;
    if (!key) {
      outcomes[c.index] = reject(
        RecordErrors.SUBJECT_CODE_REQUIRED({ field: kf.subjectUscc ?? 'subject' }),
        kf.subjectUscc ?? 'subject',
      );
      continue;
    }
    let subject = subjects.get(key);
    if (subject === undefined) {
      subject = await findByIdentifier(ctx, crypto, key);
      subjects.set(key, subject);
    }
    if (!subject) {
      const bad = invalidCode(c.uscc, c.idNo, day);
      if (bad) {
        outcomes[c.index] = rejected(fieldErr(codeField, 'SUBJECT_CODE_INVALID', bad));
        continue;
      }
      const type = typeOfCode(c.uscc, c.idNo, day);
      if (type && !c.item.subjectTypes.includes(type)) {
        outcomes[c.index] = reject(
          RecordErrors.SUBJECT_TYPE_NOT_APPLICABLE({ field: kf.subjectName, item: c.item.code, type }),
          kf.subjectName,
        );
        continue;
      }
      if (!register) {
        outcomes[c.index] = rejected(
          fieldErr(codeField, 'SUBJECT_NOT_FOUND', {
            zh: `未登记的主体 ${key}`,
            en: `Unregistered subject ${key}`,
          }),
        );
        continue;
      }
      try {
        subject = c.uscc
          ? await registerSubject(ctx, crypto, {
              uscc: c.uscc,
              name: c.subjectName || c.uscc,
              origin: 'collection',
            })
          : await registerSubject(ctx, crypto, {
              citizenId: c.idNo,
              name: c.subjectName,
              origin: 'collection',
            });
      } catch (err) {
        // Only a refusal of the registration is this row's outcome: any other error (the
        // database's) has aborted the transaction, and every later row would fail with it.
        if (!(err instanceof AppError)) throw err;
        outcomes[c.index] = reject(err, codeField);
        continue;
      }
      subjects.set(key, subject);
      registered.add(key);
    }
    if (
      opts.checkNames !== false &&
      c.subjectName &&
      subject.type !== 'NATURAL_PERSON' &&
      !(await nameMatches(ctx, subject, c.subjectName, cache))
    ) {
      outcomes[c.index] = rejected(
        fieldErr(kf.subjectName, 'NAME_MISMATCH', {
          zh: `名称“${c.subjectName}”与登记名称“${subject.name}”不一致`,
          en: `Name "${c.subjectName}" does not match the registered name "${subject.name}"`,
        }),
      );
      continue;
    }
    if (!c.item.subjectTypes.includes(subject.type)) {
      outcomes[c.index] = reject(
        RecordErrors.SUBJECT_TYPE_NOT_APPLICABLE({
          field: kf.subjectName,
          item: c.item.code,
          type: subject.type,
        }),
        kf.subjectName,
      );
      continue;
    }
    if (cache && cache.subjects.get(key) !== subject) {
      if (cache.subjects.size >= SUBJECTS_CACHED) cache.subjects.clear();
      // A copy of the key: a code cut out of a file's text would keep that whole text in memory.
      cache.subjects.set(Buffer.from(key).toString(), subject);
    }
    // Registered by this submission: the first row naming the subject gets the credit.
    const isNew = registered.delete(key);
    prepared.push({ index: c.index, item: c.item, subject, registered: isNew, docNo: c.docNo, row: c.row });
  }

  // 3. Create, correct or leave unchanged. Duplicate document numbers inside one submission: the
  // last one wins, earlier ones are rejected. The last row of each document number is inserted
  // straight away (the unique key leaves stored ones alone); only the document numbers that were
  // already stored are read back and compared, so a submission of new records costs one statement.
  const by = actorLabel(ctx.actor);
  const keyOf = (p: Prepared) => `${p.item.code}\u0000${p.docNo}`;
  const lastOf = new Map<string, Prepared>();
  for (const p of prepared) lastOf.set(keyOf(p), p);
  const candidates = [...lastOf.values()];
  const ids = await recordsRepo.insertMany(
    ctx.db,
    departmentId,
    candidates.map((p) => ({ ...p.row, subjectId: p.subject.id })),
    ctx.now,
    by,
  );
  const createdIds = new Map<string, number>();
  const stored: Prepared[] = [];
  candidates.forEach((p, j) => {
    const id = ids[j];
    if (id === null || id === undefined) stored.push(p);
    else createdIds.set(keyOf(p), id);
  });
  const existing = await recordsRepo.existing(
    ctx.db,
    departmentId,
    stored.map((p) => ({ itemCode: p.item.code, docNo: p.docNo })),
  );
  const byKey = new Map(existing.map((r) => [`${r.item_code}\u0000${r.doc_no}`, r]));
  const corrections: { p: Prepared; head: RecordHeadRow }[] = [];
  const events: NewEvent[] = [];

  for (const p of prepared) {
    const k = keyOf(p);
    const id = createdIds.get(k);
    if (id !== undefined) {
      if (lastOf.get(k) !== p)
        outcomes[p.index] = rejected(
          fieldErr(p.item.keyFields.docNo, 'DUPLICATE_IN_BATCH', {
            zh: `文书号 ${p.docNo} 在本批次中重复`,
            en: `Document number ${p.docNo} appears twice in this batch`,
          }),
        );
      continue;
    }
    const head = byKey.get(k);
    // Not inserted and not found: only a concurrent change of the key could do that.
    if (!head) throw new Error(`record ${p.docNo} neither inserted nor found`);
    if (head.stop_kind === 'withdrawn') {
      outcomes[p.index] = reject(
        RecordErrors.RECORD_WITHDRAWN({ field: p.item.keyFields.docNo, docNo: p.docNo }),
        p.item.keyFields.docNo,
      );
      continue;
    }
    const same =
      head.decision_date === p.row.decisionDate &&
      head.severity === p.row.severity &&
      head.subject_id === p.subject.id &&
      comparable(head.payload) === comparable(JSON.parse(p.row.payload) as Record<string, unknown>);
    if (same) {
      outcomes[p.index] = {
        outcome: 'unchanged',
        recordId: head.id,
        subjectId: head.subject_id,
        version: head.version,
      };
      continue;
    }
    // A second correction of the same record in one submission replaces the first.
    const prior = corrections.findIndex((x) => x.head.id === head.id);
    if (prior >= 0) {
      const earlier = corrections[prior] as { p: Prepared };
      outcomes[earlier.p.index] = rejected(
        fieldErr(p.item.keyFields.docNo, 'DUPLICATE_IN_BATCH', {
          zh: `文书号 ${p.docNo} 在本批次中重复`,
          en: `Document number ${p.docNo} appears twice in this batch`,
        }),
      );
      corrections.splice(prior, 1);
    }
    corrections.push({ p, head });
  }

  if (corrections.length) {
    const heads = await recordsRepo.correctMany(
      ctx.db,
      corrections.map(({ p, head }) => ({ ...p.row, id: head.id, subjectId: p.subject.id })),
      opts.changeReason ?? null,
      ctx.now,
      by,
    );
    corrections.forEach(({ p }, j) => {
      const updated = heads[j] as RecordHeadRow;
      outcomes[p.index] = {
        outcome: 'updated',
        recordId: updated.id,
        subjectId: updated.subject_id,
        version: updated.version,
        ...(p.registered ? { subjectRegistered: true } : {}),
      };
      events.push(recordEvent('record.corrected', updated, { reason: opts.changeReason ?? null }));
    });
  }

  // New records in the order they were inserted (a document's first appearance in the submission).
  candidates.forEach((p) => {
    const id = createdIds.get(keyOf(p));
    if (id === undefined) return;
    outcomes[p.index] = {
      outcome: 'created',
      recordId: id,
      subjectId: p.subject.id,
      version: 1,
      ...(p.registered ? { subjectRegistered: true } : {}),
    };
    // The hash of the payload's stored (jsonb) form, which verify-log recomputes from the row.
    events.push(
      recordEvent(
        'record.created',
        {
          id,
          subject_id: p.subject.id,
          department_id: departmentId,
          item_code: p.row.itemCode,
          item_version: p.row.itemVersion,
          doc_no: p.row.docNo,
          decision_date: p.row.decisionDate,
          severity: p.row.severity,
          window_from: p.row.windowFrom,
          window_until: p.row.windowUntil,
          version: 1,
          stop_kind: null,
        },
        {},
        storedPayloadHash(p.row.payload),
      ),
    );
  });
  if (events.length) await (opts.emit ? opts.emit(events) : appendEvents(ctx, events));
  return outcomes;
}
