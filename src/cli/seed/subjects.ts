import { makeCitizenId, makeUscc } from '../../domain/identifiers';
import type { SubjectType } from '../../domain/subject-types';
import type { Rng } from './prng';
import { COOPS, GIVEN, INDUSTRIES, INSTITUTIONS, SHOPS, SOCIAL, SURNAMES, TRADE_NAMES } from './words';

export interface DemoSubject {
  type: SubjectType;
  uscc?: string;
  citizenId?: string;
  name: string;
  formerNames?: string[];
  legalRep?: string;
  region: string;
  establishedOn: string;
}

const CQ_DISTRICTS = [
  '500103',
  '500103',
  '500103',
  '500103',
  '500105',
  '500106',
  '500107',
  '500108',
  '500112',
];
const ORG_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function orgBody(rng: Rng, prefix: string): string {
  let s = prefix;
  while (s.length < 8) s += ORG_ALPHABET[rng.int(0, ORG_ALPHABET.length - 1)];
  return s;
}

export function personName(rng: Rng): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN);
}

function date(rng: Rng, fromYear: number, toYear: number): string {
  const y = rng.int(fromYear, toYear);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Generates `count` subjects of every type with valid, unique codes. Names are drawn from a fixed
 * vocabulary plus a counter where needed, so they are unique and clearly fictitious.
 */
export function generateSubjects(rng: Rng, count: number): DemoSubject[] {
  const out: DemoSubject[] = [];
  const usedNames = new Set<string>();
  const usedCodes = new Set<string>();
  // A repeated name gets a branch number before its suffix (重庆鸿药医药2有限公司); counters per base
  // name keep this linear however many subjects are generated.
  const nextNo = new Map<string, number>();
  const unique = (base: string): string => {
    let name = base;
    while (usedNames.has(name)) {
      const n = (nextNo.get(base) ?? 1) + 1;
      nextNo.set(base, n);
      const m =
        /(股份有限公司|集团有限公司|有限公司|专业合作社|律师事务所|办事处|综合执法大队|社区事务中心|[店社会馆所院局校心])$/.exec(
          base,
        );
      name = m ? `${base.slice(0, m.index)}${n}${m[1]}` : `${base}${n}`;
    }
    usedNames.add(name);
    return name;
  };
  const uscc = (prefix: string, division: string): string => {
    for (;;) {
      const code = makeUscc(prefix, division, orgBody(rng, prefix.startsWith('9') ? 'MA' : ''));
      if (!usedCodes.has(code)) {
        usedCodes.add(code);
        return code;
      }
    }
  };
  for (let i = 0; i < count; i++) {
    const kind = rng.weighted<SubjectType>([
      ['ENTERPRISE', 58],
      ['INDIVIDUAL_BUSINESS', 20],
      ['NATURAL_PERSON', 11],
      ['PUBLIC_INSTITUTION', 3],
      ['SOCIAL_ORG', 3],
      ['FARMER_COOP', 2],
      ['GOVERNMENT', 1],
      ['OTHER_ORG', 2],
    ]);
    const region = rng.pick(CQ_DISTRICTS);
    switch (kind) {
      case 'ENTERPRISE': {
        const [industry, suffix] = rng.pick(INDUSTRIES);
        const trade = rng.pick(TRADE_NAMES) + (rng.chance(0.5) ? rng.pick(TRADE_NAMES) : '');
        const name = unique(`重庆${trade}${industry}${suffix}`);
        const renamed = rng.chance(0.05) ? [`重庆市渝中区${trade}${industry}${suffix}`] : undefined;
        out.push({
          type: kind,
          uscc: uscc('91', '500103'),
          name,
          formerNames: renamed,
          legalRep: personName(rng),
          region,
          establishedOn: date(rng, 1995, 2025),
        });
        break;
      }
      case 'INDIVIDUAL_BUSINESS': {
        const name = unique(`渝中区${rng.pick(TRADE_NAMES)}${rng.pick(SHOPS)}`);
        out.push({
          type: kind,
          uscc: uscc('92', '500103'),
          name,
          legalRep: personName(rng),
          region: '500103',
          establishedOn: date(rng, 2005, 2025),
        });
        break;
      }
      case 'FARMER_COOP': {
        const name = unique(`重庆市${rng.pick(TRADE_NAMES)}${rng.pick(COOPS)}专业合作社`);
        out.push({
          type: kind,
          uscc: uscc('93', rng.pick(['500110', '500115', '500116'])),
          name,
          legalRep: personName(rng),
          region: '500103',
          establishedOn: date(rng, 2008, 2024),
        });
        break;
      }
      case 'PUBLIC_INSTITUTION': {
        const name = unique(`重庆市渝中区${rng.pick(TRADE_NAMES)}${rng.pick(INSTITUTIONS)}`);
        out.push({
          type: kind,
          uscc: uscc('12', '500103'),
          name,
          legalRep: personName(rng),
          region: '500103',
          establishedOn: date(rng, 1980, 2020),
        });
        break;
      }
      case 'SOCIAL_ORG': {
        const [place, org, cat] = rng.pick(SOCIAL);
        const name = unique(`${place}${rng.pick(TRADE_NAMES)}${org}`);
        out.push({
          type: kind,
          uscc: uscc(cat, '500103'),
          name,
          legalRep: personName(rng),
          region: '500103',
          establishedOn: date(rng, 1990, 2024),
        });
        break;
      }
      case 'GOVERNMENT': {
        const name = unique(
          `重庆市渝中区${rng.pick(['解放碑', '七星岗', '大坪', '化龙桥', '上清寺'])}街道${rng.pick(['办事处', '综合执法大队', '社区事务中心'])}`,
        );
        out.push({
          type: kind,
          uscc: uscc('11', '500103'),
          name,
          legalRep: personName(rng),
          region: '500103',
          establishedOn: date(rng, 1985, 2015),
        });
        break;
      }
      case 'OTHER_ORG': {
        const name = unique(`重庆${rng.pick(TRADE_NAMES)}律师事务所`);
        out.push({
          type: kind,
          uscc: uscc('31', '500000'),
          name,
          legalRep: personName(rng),
          region: '500103',
          establishedOn: date(rng, 1995, 2024),
        });
        break;
      }
      case 'NATURAL_PERSON': {
        let id: string;
        do {
          const birth = date(rng, 1955, 2003).replace(/-/g, '');
          id = makeCitizenId(
            rng.pick(['500103', '500105', '500106', '500107', '500108', '500112', '510104']),
            birth,
            String(rng.int(1, 999)).padStart(3, '0'),
          );
        } while (usedCodes.has(id));
        usedCodes.add(id);
        out.push({ type: kind, citizenId: id, name: personName(rng), region: '500103', establishedOn: '' });
        break;
      }
    }
  }
  return out;
}
