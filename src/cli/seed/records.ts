import type { Severity } from '../../domain/periods';
import type { Rng } from './prng';
import { personName } from './subjects';
import type { DemoSubject } from './subjects';

export interface DemoDepartment {
  id: number;
  name: string;
  uscc: string;
  key: string;
}

export interface DemoRecord {
  departmentId: number;
  itemCode: string;
  payload: Record<string, unknown>;
  severity?: Severity;
}

/** Which departments provide which catalogue items in the demo district (keys from demo.ts). */
export const PROVIDERS: Record<string, string[]> = {
  XZXK: ['scjg', 'zjw', 'jtw', 'wjw', 'wlw', 'sthj', 'gzj', 'jw', 'mz', 'sfj', 'yj', 'cg'],
  XZCF: ['scjg', 'sw', 'sthj', 'yj', 'cg', 'jtw', 'wjw', 'rs', 'zjw', 'xf', 'wlw', 'ga'],
  XZQZ: ['scjg', 'sw', 'sthj', 'cg'],
  JYYC: ['scjg'],
  DJZC: ['scjg'],
  CXRY: ['fgw', 'sw', 'swj', 'scjg'],
  XYCN: ['fgw', 'scjg', 'swj'],
  HTLY: ['cz', 'zjw'],
  XYPJ: ['sw', 'scjg', 'zjw'],
  ZSCQ: ['scjg'],
  SXBZXR: ['fy'],
  BZXR: ['fy'],
  ZYZG: ['rs', 'wjw', 'sfj'],
  ZSFG: ['fgw'],
  ZYTG: ['fgw'],
};

const LICENCES = [
  ['食品经营许可', '食品经营许可证', '准予在核定范围内从事食品经营（预包装食品销售、热食类食品制售）'],
  ['建筑施工许可', '建筑工程施工许可证', '准予建设工程施工'],
  ['道路运输经营许可', '道路运输经营许可证', '准予从事道路普通货物运输经营'],
  ['医疗机构执业许可', '医疗机构执业许可证', '准予医疗机构执业登记'],
  ['娱乐经营许可', '娱乐经营许可证', '准予从事娱乐场所经营活动'],
  ['排污许可', '排污许可证', '准予按许可要求排放污染物'],
  ['户外广告设施设置许可', '户外广告设置许可决定书', '准予设置户外广告设施'],
  ['民办学校办学许可', '民办学校办学许可证', '准予举办培训学校'],
  ['危险化学品经营许可', '危险化学品经营许可证', '准予经营危险化学品（不带储存设施）'],
  ['药品经营许可', '药品经营许可证', '准予从事药品零售'],
] as const;

const VIOLATIONS: ReadonlyArray<readonly [string, string, string, readonly string[]]> = [
  [
    '销售过期食品',
    '经查，当事人在经营场所销售超过保质期的预包装食品',
    '《中华人民共和国食品安全法》第一百二十四条',
    ['罚款', '没收违法所得'],
  ],
  ['未按规定公示年度报告', '当事人未按规定期限公示年度报告', '《企业信息公示暂行条例》第十七条', ['警告']],
  [
    '超标排放大气污染物',
    '经监测，当事人排放的大气污染物超过排放标准',
    '《中华人民共和国大气污染防治法》第九十九条',
    ['罚款', '责令停产停业'],
  ],
  [
    '未按规定申报纳税',
    '当事人未按照规定期限办理纳税申报和报送纳税资料',
    '《中华人民共和国税收征收管理法》第六十二条',
    ['罚款'],
  ],
  [
    '安全生产隐患未整改',
    '当事人未采取措施消除事故隐患',
    '《中华人民共和国安全生产法》第一百零二条',
    ['罚款'],
  ],
  [
    '擅自占用城市道路',
    '当事人擅自占用城市道路设置经营摊点',
    '《城市道路管理条例》第四十二条',
    ['警告', '罚款'],
  ],
  [
    '发布虚假广告',
    '当事人发布含有虚假内容的广告',
    '《中华人民共和国广告法》第五十五条',
    ['罚款', '吊销许可证件'],
  ],
  [
    '消防设施未保持完好有效',
    '当事人消防设施、器材未保持完好有效',
    '《中华人民共和国消防法》第六十条',
    ['罚款'],
  ],
  ['拖欠劳动者工资', '当事人未按时足额支付劳动者工资', '《保障农民工工资支付条例》第五十四条', ['罚款']],
  [
    '无证经营',
    '当事人未取得许可从事经营活动',
    '《无证无照经营查处办法》第十三条',
    ['罚款', '没收违法所得', '没收非法财物'],
  ],
  ['超限运输', '当事人车辆超限运输', '《公路安全保护条例》第六十四条', ['罚款']],
  ['违规处置医疗废物', '当事人未按规定处置医疗废物', '《医疗废物管理条例》第四十六条', ['罚款', '吊销执照']],
];

const ID_CATEGORY = (s: DemoSubject) =>
  s.type === 'NATURAL_PERSON'
    ? '自然人'
    : s.type === 'INDIVIDUAL_BUSINESS'
      ? '个体工商户'
      : '法人及非法人组织';

function party(prefix: string, s: DemoSubject, withRep: boolean, rng: Rng): Record<string, unknown> {
  const p: Record<string, unknown> = { [`${prefix}_MC`]: s.name, [`${prefix}_LB`]: ID_CATEGORY(s) };
  if (s.uscc) p[`${prefix}_SHXYM`] = s.uscc;
  if (s.citizenId) {
    p[`${prefix}_ZJLX`] = '身份证';
    p[`${prefix}_ZJHM`] = s.citizenId;
  }
  if (withRep && s.type !== 'NATURAL_PERSON') {
    const root = prefix.replace(/_XDR$/, '');
    p[`${root}_FRDB`] = s.legalRep ?? personName(rng);
  }
  return p;
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function dateBetween(rng: Rng, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return iso(new Date(a + Math.floor(rng.next() * ((b - a) / 86_400_000 + 1)) * 86_400_000));
}

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-');
  return `${Number(y) + years}-${m}-${d === '29' && m === '02' ? '28' : d}`;
}

function wan(yuan: number): string {
  return (yuan / 10_000).toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Generates `count` records across licensing, penalties and the other catalogue categories.
 * Document numbers are unique per department and item (the idempotency key).
 */
export function generateRecords(
  rng: Rng,
  count: number,
  subjects: readonly DemoSubject[],
  depts: ReadonlyMap<string, DemoDepartment>,
  lastDay: string,
  /** Document-number counters; pass the same map to continue a sequence across calls. */
  seq: Map<string, number> = new Map(),
): DemoRecord[] {
  const out: DemoRecord[] = [];
  const orgs = subjects.filter((s) => s.type !== 'NATURAL_PERSON');
  const market = subjects.filter(
    (s) => s.type === 'ENTERPRISE' || s.type === 'INDIVIDUAL_BUSINESS' || s.type === 'FARMER_COOP',
  );
  const persons = subjects.filter((s) => s.type === 'NATURAL_PERSON');
  const docNo = (dept: DemoDepartment, item: string, year: string, word: string): string => {
    const k = `${dept.key}/${item}/${year}`;
    const n = (seq.get(k) ?? 0) + 1;
    seq.set(k, n);
    return `渝中${word}〔${year}〕${n}号`;
  };
  // A running number across calls (the seq map persists), for identifiers that must stay unique.
  const serial = (): number => {
    const n = (seq.get('#serial') ?? 0) + 1;
    seq.set('#serial', n);
    return n;
  };
  const pickDept = (item: string): DemoDepartment => {
    const key = rng.pick(PROVIDERS[item] ?? []);
    const d = depts.get(key);
    if (!d) throw new Error(`demo: no department ${key}`);
    return d;
  };

  for (let i = 0; i < count; i++) {
    const item = rng.weighted<string>([
      ['XZXK', 50],
      ['XZCF', 28],
      ['XZQZ', 3],
      ['JYYC', 3],
      ['CXRY', 4],
      ['XYCN', 3],
      ['HTLY', 2],
      ['XYPJ', 2],
      ['ZSCQ', 2],
      ['SXBZXR', 1],
      ['ZYZG', 2],
    ]);
    const dept = pickDept(item);
    const day = dateBetween(rng, '2023-01-01', lastDay);
    const year = day.slice(0, 4);
    switch (item) {
      case 'XZXK': {
        const s = rng.chance(0.08) ? rng.pick(persons) : rng.pick(orgs);
        const [kind, cert, content] = rng.pick(LICENCES);
        const longTerm = rng.chance(0.2);
        out.push({
          departmentId: dept.id,
          itemCode: item,
          payload: {
            ...party('XK_XDR', s, true, rng),
            XK_XKWS: `${kind}决定书`,
            XK_WSH: docNo(dept, item, year, '许'),
            XK_XKLB: rng.weighted([
              ['普通', 70],
              ['特许', 5],
              ['认可', 5],
              ['核准', 10],
              ['登记', 10],
            ]),
            XK_XKZS: cert,
            XK_XKBH: `JY${day.replace(/-/g, '')}${String(serial()).padStart(6, '0')}`,
            XK_NR: content,
            XK_JDRQ: day,
            XK_YXQZ: day,
            XK_YXQZI: longTerm ? '2099-12-31' : addYears(day, rng.pick([1, 3, 5])),
            XK_XKJG: dept.name,
            XK_XKJGDM: dept.uscc,
            XK_ZT: '有效',
            XK_LYDW: dept.name,
            XK_LYDWDM: dept.uscc,
          },
        });
        break;
      }
      case 'XZCF': {
        const s = rng.chance(0.1) ? rng.pick(persons) : rng.pick(orgs);
        const [wfxw, sy, yj, types] = rng.pick(VIOLATIONS);
        const cflb = types.filter((_, j) => j === 0 || rng.chance(0.5));
        const fine = rng.weighted([
          [2000, 30],
          [5000, 25],
          [10000, 20],
          [50000, 15],
          [200000, 7],
          [1000000, 3],
        ]);
        const payload: Record<string, unknown> = {
          ...party('CF_XDR', s, true, rng),
          CF_WSH: docNo(dept, item, year, '罚决字'),
          CF_WFXW: wfxw,
          CF_SY: `${sy}，违反了相关规定。`,
          CF_YJ: yj,
          CF_CFLB: cflb,
          CF_NR: cflb.map((t) => (t === '罚款' ? `罚款${fine}元` : t)).join('，'),
          CF_JDRQ: day,
          CF_CFJG: dept.name,
          CF_CFJGDM: dept.uscc,
          CF_SJLY: dept.name,
          CF_SJLYDM: dept.uscc,
        };
        if (cflb.includes('罚款')) payload.CF_NR_FK = wan(fine);
        if (cflb.some((t) => t.startsWith('没收'))) payload.CF_NR_WFFF = wan(rng.int(5, 500) * 100);
        if (cflb.some((t) => t.startsWith('吊销') || t.startsWith('暂扣')))
          payload.CF_NR_ZKDX = `许可证 JY${rng.int(100000, 999999)}`;
        out.push({
          departmentId: dept.id,
          itemCode: item,
          payload,
          severity: fine >= 1_000_000 ? 'SERIOUS' : undefined,
        });
        break;
      }
      case 'XZQZ': {
        const s = rng.pick(orgs);
        out.push({
          departmentId: dept.id,
          itemCode: item,
          severity: rng.chance(0.8) ? 'GENERAL' : 'SERIOUS',
          payload: {
            ...party('QZ_XDR', s, false, rng),
            QZ_WSH: docNo(dept, item, year, '强制'),
            QZ_LB: rng.pick(['查封场所、设施或者财物', '扣押财物', '加处罚款或者滞纳金']),
            QZ_SY: '当事人涉嫌违法经营，为防止证据损毁',
            QZ_YJ: '《中华人民共和国行政强制法》第二十二条',
            QZ_NR: '查封经营场所内涉案物品',
            QZ_JDRQ: day,
            QZ_JG: dept.name,
            QZ_JGDM: dept.uscc,
          },
        });
        break;
      }
      case 'JYYC': {
        const s = rng.pick(market);
        out.push({
          departmentId: dept.id,
          itemCode: item,
          payload: {
            YC_MC: s.name,
            YC_SHXYM: s.uscc,
            YC_LRYY: rng.pick(['未按照规定期限公示年度报告', '通过登记的住所或者经营场所无法联系']),
            YC_LRRQ: day,
            YC_JDWSH: docNo(dept, item, year, '市监异'),
            YC_ZCJDJG: dept.name,
            YC_ZCJDJGDM: dept.uscc,
          },
        });
        break;
      }
      case 'CXRY': {
        const s = rng.pick(orgs);
        out.push({
          departmentId: dept.id,
          itemCode: item,
          payload: {
            ...party('RY_ZT', s, false, rng),
            RY_RYMC: rng.pick(['守合同重信用企业', 'A级纳税人', '诚信经营示范店', '重庆市文明单位']),
            RY_JB: rng.pick(['市级', '区县级', '省级']),
            RY_SYJG: dept.name,
            RY_SYJGDM: dept.uscc,
            RY_WH: docNo(dept, item, year, '荣'),
            RY_SYRQ: day,
            RY_YXQZ: addYears(day, 2),
          },
        });
        break;
      }
      case 'XYCN': {
        const s = rng.pick(orgs);
        out.push({
          departmentId: dept.id,
          itemCode: item,
          payload: {
            CN_MC: s.name,
            CN_SHXYM: s.uscc,
            CN_LX: rng.pick(['证明事项告知承诺', '容缺受理型', '审批替代型', '主动公示型']),
            CN_SX: rng.pick(['食品经营许可', '建筑施工许可', '公共场所卫生许可']),
            CN_NR: '本单位承诺所提交材料真实有效，如有不实愿承担相应法律责任',
            CN_SLDW: dept.name,
            CN_SLDWDM: dept.uscc,
            CN_BH: docNo(dept, item, year, '诺'),
            CN_RQ: day,
            CN_LYZT: rng.weighted([
              ['已履约', 60],
              ['履约中', 35],
              ['未履约', 5],
            ]),
          },
        });
        break;
      }
      case 'HTLY': {
        const s = rng.pick(orgs);
        out.push({
          departmentId: dept.id,
          itemCode: item,
          payload: {
            HT_XDR_MC: s.name,
            HT_XDR_SHXYM: s.uscc,
            HT_MC: rng.pick([
              '渝中区老旧小区改造工程施工合同',
              '区政府机关办公设备采购合同',
              '城市道路清扫保洁服务合同',
            ]),
            ...(() => {
              const state = rng.weighted([
                ['按约履行', 85],
                ['未按约履行', 12],
                ['解除合同', 3],
              ]);
              return state === '未按约履行'
                ? { HT_LYQK: state, HT_WYQX: '未按合同约定期限完成工程' }
                : { HT_LYQK: state };
            })(),
            HT_RDJG: dept.name,
            HT_RDJGDM: dept.uscc,
            HT_RDWSH: docNo(dept, item, year, '合'),
            HT_RDRQ: day,
          },
        });
        break;
      }
      case 'XYPJ': {
        const s = rng.pick(market);
        out.push({
          departmentId: dept.id,
          itemCode: item,
          payload: {
            PJ_MC: s.name,
            PJ_SHXYM: s.uscc,
            PJ_LX: rng.pick(['纳税信用评价', '建筑市场信用评价']),
            PJ_JG: rng.weighted([
              ['A', 30],
              ['B', 50],
              ['M', 10],
              ['C', 7],
              ['D', 3],
            ]),
            PJ_ND: String(Number(year) - 1),
            PJ_DW: dept.name,
            PJ_DWDM: dept.uscc,
            PJ_WH: docNo(dept, item, year, '评'),
            PJ_RQ: day,
            PJ_YXQZ: addYears(day, 1),
          },
        });
        break;
      }
      case 'ZSCQ': {
        const s = rng.pick(market);
        out.push({
          departmentId: dept.id,
          itemCode: item,
          payload: {
            ...party('ZC_QLR', s, false, rng),
            ZC_LX: rng.pick(['发明专利', '实用新型专利', '注册商标']),
            ZC_MC: rng.pick(['一种火锅底料的制备方法', '山城印象', '智能停车引导装置']),
            ZC_H: `ZL${year}${String(serial()).padStart(8, '0')}`,
            ZC_SQRQ: day,
            ZC_YXQZ: addYears(day, 10),
            ZC_SQJG: '国家知识产权局',
            ZC_FLZT: '有效',
          },
        });
        break;
      }
      case 'SXBZXR': {
        const s = rng.chance(0.5) ? rng.pick(persons) : rng.pick(orgs);
        const p: Record<string, unknown> = {
          SX_MC: s.name,
          SX_LB: ID_CATEGORY(s),
          SX_AH: `（${year}）渝0103执${serial()}号`,
          SX_ZXFY: dept.name,
          SX_ZXYJWH: `（${Number(year) - 1}）渝0103民初${rng.int(1000, 9999)}号`,
          SX_ZCZXYJDW: dept.name,
          SX_YW: `支付货款${rng.int(2, 90)}万元及利息`,
          SX_LXQK: rng.pick(['全部未履行', '部分未履行']),
          SX_QX: ['有履行能力而拒不履行生效法律文书确定义务'],
          SX_FBRQ: day,
        };
        if (s.uscc) p.SX_SHXYM = s.uscc;
        if (s.citizenId) {
          p.SX_ZJLX = '身份证';
          p.SX_ZJHM = s.citizenId;
        }
        out.push({ departmentId: dept.id, itemCode: item, payload: p });
        break;
      }
      case 'ZYZG': {
        const s = rng.pick(persons);
        out.push({
          departmentId: dept.id,
          itemCode: item,
          payload: {
            ZG_XM: s.name,
            ZG_ZJLX: '身份证',
            ZG_ZJHM: s.citizenId,
            ZG_ZGMC: rng.pick(['执业医师', '律师', '注册会计师', '一级建造师', '育婴员']),
            ZG_ZGLB: rng.pick(['准入类', '水平评价类']),
            ZG_ZSBH: `ZG${year}${String(serial()).padStart(8, '0')}`,
            ZG_FZJG: dept.name,
            ZG_FZRQ: day,
            ZG_YXQZ: addYears(day, 5),
            ZG_ZT: '有效',
          },
        });
        break;
      }
    }
  }
  return out;
}
