import type { Bilingual } from '../i18n';

/**
 * Ranks of legal instruments, strongest first (《立法法》 hierarchy as the credit rules use it).
 * `strength` lets later modules ask "is this basis at least rank X?" without knowing the list.
 * 国办发〔2020〕49号 places policy documents of the CPC Central Committee and the State Council
 * beside laws and regulations as a basis for recording and for measures; the order below puts them
 * just under local regulations and above departmental rules.
 */
export const LEGAL_BASIS_RANKS = [
  { code: 'law', strength: 7, zh: '法律', en: 'Law' },
  { code: 'administrative_regulation', strength: 6, zh: '行政法规', en: 'Administrative regulation' },
  { code: 'local_regulation', strength: 5, zh: '地方性法规', en: 'Local regulation' },
  {
    code: 'central_policy',
    strength: 4,
    zh: '党中央、国务院政策文件',
    en: 'Policy document of the CPC Central Committee or the State Council',
  },
  { code: 'departmental_rule', strength: 3, zh: '部门规章', en: 'Departmental rule' },
  { code: 'local_government_rule', strength: 2, zh: '地方政府规章', en: 'Local government rule' },
  { code: 'normative_document', strength: 1, zh: '规范性文件', en: 'Normative document' },
] as const;

export type LegalBasisRank = (typeof LEGAL_BASIS_RANKS)[number]['code'];

export const LEGAL_BASIS_RANK_CODES: readonly LegalBasisRank[] = LEGAL_BASIS_RANKS.map((r) => r.code);

/** One instrument a catalogue item, list or measure rests on. */
export interface LegalBasis {
  /** Full name, e.g. 《中华人民共和国行政处罚法》. */
  instrument: string;
  /** Article(s), e.g. 第四十八条; "(待核实)" marks numbers not yet checked against the official text. */
  article?: string;
  rank: LegalBasisRank;
  note?: string;
}

/**
 * The weakest rank that may, with others or alone, found a catalogue item: a normative document on
 * its own is never enough (information enters credit records only on a legal basis, 49号).
 */
export const CATALOG_MIN_RANK: LegalBasisRank = 'local_government_rule';

/**
 * The weakest rank for a measure that reduces rights or adds obligations (class 1 of the measures
 * list): law, administrative regulation, local regulation or a central policy document.
 */
export const RIGHTS_REDUCING_MIN_RANK: LegalBasisRank = 'central_policy';

const STRENGTH = new Map<string, number>(LEGAL_BASIS_RANKS.map((r) => [r.code, r.strength]));

export function isLegalBasisRank(v: unknown): v is LegalBasisRank {
  return typeof v === 'string' && STRENGTH.has(v);
}

export function rankStrength(rank: LegalBasisRank): number {
  return STRENGTH.get(rank) ?? 0;
}

/** True when `rank` is as strong as `min` or stronger. */
export function rankAtLeast(rank: LegalBasisRank, min: LegalBasisRank): boolean {
  return rankStrength(rank) >= rankStrength(min);
}

/** The strongest rank among the bases, or null when there is none. */
export function strongestRank(bases: readonly { rank: LegalBasisRank }[]): LegalBasisRank | null {
  let best: LegalBasisRank | null = null;
  for (const b of bases) if (best === null || rankStrength(b.rank) > rankStrength(best)) best = b.rank;
  return best;
}

/** True when at least one basis reaches `min`. */
export function basesReach(bases: readonly { rank: LegalBasisRank }[], min: LegalBasisRank): boolean {
  const best = strongestRank(bases);
  return best !== null && rankAtLeast(best, min);
}

export function rankLabel(rank: LegalBasisRank): Bilingual {
  const r = LEGAL_BASIS_RANKS.find((x) => x.code === rank);
  return r ? { zh: r.zh, en: r.en } : { zh: rank, en: rank };
}
