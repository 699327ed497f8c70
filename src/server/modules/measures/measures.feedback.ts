import { actorDepartment, actorLabel, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { appendEvents } from '../../platform/events';
import { findByIdentifier } from '../subjects';
import { MeasureErrors } from './measures.errors';
import { getMeasure } from './measures.inventory';
import { measuresRepo } from './measures.repository';

export interface FeedbackInput {
  measure: string;
  applied: boolean;
  reason: string;
  /** Required for a batch check: which subject the feedback is about. */
  subject?: string;
}

/**
 * The implementing body reports what it did with a measure the check returned: applied, or not
 * applied and why. One report per check, measure and subject; counted per measure. On a batch
 * check the subject must have been in the batch and the measure must have applied to it.
 */
export async function submitFeedback(
  ctx: Ctx,
  crypto: FieldCrypto,
  checkId: string,
  input: FeedbackInput,
): Promise<{ id: number; checkId: string; measure: string; subjectRef: string; applied: boolean }> {
  const check = await measuresRepo.check(ctx.db, checkId);
  if (!check) throw MeasureErrors.CHECK_NOT_FOUND({ field: 'checkId', check: checkId });
  const dept = actorDepartment(ctx.actor);
  if (check.department_id !== null && dept !== null && dept !== check.department_id)
    throw MeasureErrors.FEEDBACK_NOT_OWN_CHECK();
  if (!check.measure_codes.includes(input.measure))
    throw MeasureErrors.FEEDBACK_MEASURE_NOT_IN_CHECK({ field: 'measure', measure: input.measure });

  let subjectId: number;
  if (check.kind === 'single') {
    subjectId = check.subject_id as number;
    if (input.subject) {
      const s = await findByIdentifier(ctx, crypto, input.subject);
      if (!s || s.id !== subjectId)
        throw MeasureErrors.FEEDBACK_SUBJECT_MISMATCH({ field: 'subject', code: input.subject });
    }
  } else {
    if (!input.subject) throw MeasureErrors.FEEDBACK_SUBJECT_REQUIRED({ field: 'subject' });
    const s = await findByIdentifier(ctx, crypto, input.subject);
    if (!s) throw MeasureErrors.FEEDBACK_SUBJECT_MISMATCH({ field: 'subject', code: input.subject });
    subjectId = s.id;
    // Null on a batch logged before migration 0027 (no per-subject results kept): checked as before.
    const covered = await measuresRepo.batchCoverage(ctx.db, checkId, subjectId, input.measure);
    if (covered.in_batch === false)
      throw MeasureErrors.FEEDBACK_SUBJECT_NOT_IN_BATCH({ field: 'subject', code: input.subject });
    if (covered.applied === false)
      throw MeasureErrors.FEEDBACK_MEASURE_NOT_FOR_SUBJECT({
        field: 'measure',
        measure: input.measure,
        code: input.subject,
      });
  }
  const measure = await getMeasure(ctx, input.measure);
  const id = await measuresRepo.insertFeedback(ctx.db, {
    checkId,
    measure: measure.code,
    subjectId,
    applied: input.applied,
    reason: input.reason.trim(),
    departmentId: dept,
    now: ctx.now,
    by: actorLabel(ctx.actor),
  });
  if (id === undefined) throw MeasureErrors.FEEDBACK_EXISTS({ measure: input.measure });
  await appendEvents(ctx, [
    {
      type: 'measure.feedback',
      entityType: 'measure',
      entityId: measure.code,
      subjectId,
      payload: {
        id,
        checkId,
        measure: measure.code,
        subjectId,
        applied: input.applied,
        reason: input.reason.trim(),
      },
    },
  ]);
  return { id, checkId, measure: measure.code, subjectRef: `S${subjectId}`, applied: input.applied };
}

export async function feedbackStats(ctx: Ctx, code: string) {
  const m = await getMeasure(ctx, code);
  const s = await measuresRepo.feedbackStats(ctx.db, m.code);
  const reported = s.applied + s.not_applied;
  return {
    measure: m.code,
    checksReturningIt: s.checks,
    feedback: reported,
    applied: s.applied,
    notApplied: s.not_applied,
    appliedRate: reported ? s.applied / reported : null,
    reasonsNotApplied: s.reasons.map((r) => ({ reason: r.reason, count: r.n })),
  };
}
