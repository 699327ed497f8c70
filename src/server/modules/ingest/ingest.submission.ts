import type { OutcomeRow, Submission } from './ingest.repository';

/*
 * What each batch row is to the scorecard's validity, decided when the row is written (migration
 * 0030 keeps it on the row, and fills the rows stored before it by the same rule):
 *
 *   superseded  rejected only as an earlier copy of a document number repeated in one submission
 *               (DUPLICATE_IN_BATCH): not a submission, and nobody's previous one;
 *   resent      the previous submission of the same document (department, item, document
 *               number) was rejected: sent again, fixed or not, it is not a new row;
 *   unchanged   an unchanged re-send of a stored record: not a new row;
 *   first       anything else (a first submission, or a changed re-send of an accepted row, i.e. a
 *               correction): counted by validity, accepted or not.
 *
 * "The previous submission was rejected" is kept as a flag on the rejected row while it is its
 * document's latest submission (`awaiting_resend`); the rows of a chunk look up and clear the
 * flags of their document numbers (one statement per chunk: ingestRepo.takeAwaiting), and the
 * last rejected submission of each document in the chunk sets its own. Rows without a document
 * number count each on its own.
 *
 * Rows are taken in the order they are written: by batch (batches of one department and item run
 * one at a time), then by chunk, and by row number inside a chunk. Rows set aside for a subject the
 * registry did not know are written at the end of their batch.
 */

/** What a row is before its document's earlier submissions are looked at. */
export function initialSubmission(outcome: OutcomeRow['outcome'], superseded: boolean): Submission {
  if (superseded) return 'superseded';
  return outcome === 'unchanged' ? 'unchanged' : 'first';
}

/** The document numbers whose submissions these rows are (superseded copies are none). */
export function submittedDocNos(rows: readonly OutcomeRow[]): string[] {
  const out = new Set<string>();
  for (const r of rows) if (r.docNo !== null && r.submission !== 'superseded') out.add(r.docNo);
  return [...out];
}

/**
 * Decides `submission` and `awaitingResend` of a chunk's rows (in place), given the document
 * numbers whose latest earlier submission was rejected (`awaiting`, already cleared in the
 * database by takeAwaiting).
 */
export function decideSubmissions(rows: OutcomeRow[], awaiting: ReadonlySet<string>): void {
  const ordered = rows.length > 1 ? [...rows].sort((a, b) => a.rowNo - b.rowNo) : rows;
  const previousRejected = new Map<string, boolean>();
  const latest = new Map<string, OutcomeRow>();
  for (const r of ordered) {
    r.awaitingResend = false;
    if (r.docNo === null || r.submission === 'superseded') continue;
    const before = previousRejected.get(r.docNo) ?? awaiting.has(r.docNo);
    if (before) r.submission = 'resent';
    previousRejected.set(r.docNo, r.outcome === 'rejected');
    latest.set(r.docNo, r);
  }
  for (const r of latest.values()) r.awaitingResend = r.outcome === 'rejected';
}
