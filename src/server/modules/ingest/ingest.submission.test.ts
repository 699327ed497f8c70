import { describe, expect, it } from 'vitest';
import type { OutcomeRow } from './ingest.repository';
import { decideSubmissions, initialSubmission, submittedDocNos } from './ingest.submission';

/* Each batch row as a submission of its document, decided when the chunk is written. */

function row(
  rowNo: number,
  docNo: string | null,
  outcome: OutcomeRow['outcome'],
  superseded = false,
): OutcomeRow {
  return {
    rowNo,
    outcome,
    recordId: null,
    subjectRegistered: false,
    errors: null,
    cells: null,
    docNo,
    submission: initialSubmission(outcome, superseded),
    awaitingResend: false,
  };
}

const view = (rows: OutcomeRow[]) => rows.map((r) => [r.rowNo, r.submission, r.awaitingResend]);

describe('decideSubmissions', () => {
  it('takes a chunk in row order whatever order its outcomes came in', () => {
    // Rows rejected while mapping are recorded before the chunk's submitted rows.
    const rows = [
      row(3, 'A', 'rejected'),
      row(5, 'B', 'rejected'),
      row(2, 'A', 'created'),
      row(7, 'A', 'updated'),
    ];
    decideSubmissions(rows, new Set());
    expect(view(rows)).toEqual([
      [3, 'first', false], // after row 2 (accepted): a changed re-send, a new submission (rejected)
      [5, 'first', true], // B's latest submission, rejected: its next one is a re-send
      [2, 'first', false],
      [7, 'resent', false], // after row 3 (rejected)
    ]);
  });

  it('starts from the documents whose latest earlier submission was rejected', () => {
    const rows = [
      row(2, 'A', 'created'),
      row(3, 'B', 'unchanged'),
      row(4, 'C', 'rejected'),
      row(5, 'D', 'created'),
    ];
    decideSubmissions(rows, new Set(['A', 'C']));
    expect(view(rows)).toEqual([
      [2, 'resent', false],
      [3, 'unchanged', false],
      [4, 'resent', true],
      [5, 'first', false],
    ]);
  });

  it('leaves superseded copies and rows without a document number out of the chain', () => {
    const rows = [
      row(2, 'A', 'rejected', true),
      row(3, 'A', 'created'),
      row(4, null, 'rejected'),
      row(5, null, 'rejected'),
    ];
    expect(submittedDocNos(rows)).toEqual(['A']);
    decideSubmissions(rows, new Set());
    expect(view(rows)).toEqual([
      [2, 'superseded', false],
      [3, 'first', false],
      [4, 'first', false],
      [5, 'first', false],
    ]);
  });
});
