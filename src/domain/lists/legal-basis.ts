/**
 * Legal bases as list types and measures receive them: one parser and one rank gate for both. The
 * rank order itself lives in the catalogue (src/domain/catalog/ranks.ts: rankAtLeast, basesReach),
 * which every gate of the platform shares.
 */
import { basesReach, isLegalBasisRank, rankLabel, type LegalBasis, type LegalBasisRank } from '../catalog';
import type { Bilingual } from '../i18n';

/** A basis as it arrives, before any value is trusted. */
export interface LegalBasisInput {
  instrument?: string;
  article?: string;
  rank?: string;
  note?: string;
}

export interface LegalBasisProblem {
  code: 'LEGAL_BASIS_INVALID';
  field: string;
  message: Bilingual;
}

/**
 * The bases that name an instrument and a known rank, and a problem for each one that does not
 * (field `legalBasis[i].instrument` or `legalBasis[i].rank`).
 */
export function parseLegalBases(raw: readonly LegalBasisInput[] | undefined): {
  bases: LegalBasis[];
  problems: LegalBasisProblem[];
} {
  const bases: LegalBasis[] = [];
  const problems: LegalBasisProblem[] = [];
  const bad = (field: string, zh: string, en: string) =>
    problems.push({ code: 'LEGAL_BASIS_INVALID', field, message: { zh, en } });
  (raw ?? []).forEach((b, i) => {
    const instrument = (b.instrument ?? '').trim();
    if (!instrument)
      bad(
        `legalBasis[${i}].instrument`,
        `第 ${i + 1} 项依据缺少文件名称`,
        `Basis ${i + 1} names no instrument`,
      );
    if (!isLegalBasisRank(b.rank)) {
      bad(
        `legalBasis[${i}].rank`,
        `第 ${i + 1} 项依据的位阶“${String(b.rank ?? '')}”无效`,
        `Basis ${i + 1} has an unknown rank "${String(b.rank ?? '')}"`,
      );
      return;
    }
    if (instrument)
      bases.push({
        instrument,
        rank: b.rank,
        ...(b.article ? { article: b.article } : {}),
        ...(b.note ? { note: b.note } : {}),
      });
  });
  return { bases, problems };
}

/**
 * The rank gate: the label of `min` when no basis reaches it, null when one does or when there is
 * no valid basis to judge (that is reported as missing or invalid instead).
 */
export function rankShortfall(bases: readonly LegalBasis[], min: LegalBasisRank): Bilingual | null {
  return bases.length > 0 && !basesReach(bases, min) ? rankLabel(min) : null;
}
