/**
 * The credit-repair commitment letter (信用修复承诺书, NDRC Order 36 condition 3: materials true and
 * valid, willingness to bear responsibility for breach). Generated from a template with the
 * subject, the information to repair and the date; the applicant accepts exactly this text (its
 * SHA-256 is checked on submission), so what was promised can always be shown.
 */
export interface CommitmentInput {
  subjectName: string;
  /** USCC, or the masked ID number of a natural person. */
  subjectCode: string;
  /** What is repaired, in words: `行政处罚 渝中市监罚〔2026〕1号（2026-03-10）` or a list entry. */
  target: string;
  /** The day the letter is generated (YYYY-MM-DD). */
  date: string;
  /** The agent, when an agent applies with an authorisation letter. */
  agentName?: string | null;
}

export const COMMITMENT_TEMPLATE_VERSION = 1;

function chineseDate(d: string): string {
  const [y, m, day] = d.split('-');
  return `${y}年${Number(m)}月${Number(day)}日`;
}

export function commitmentText(c: CommitmentInput): string {
  const lines = [
    '信用修复承诺书',
    '',
    `承诺主体：${c.subjectName}`,
    `统一社会信用代码／身份证件号码：${c.subjectCode}`,
    `申请修复的信息：${c.target}`,
    '',
    '本主体就上述失信信息申请信用修复，郑重承诺：',
    '一、已经纠正失信行为，履行了相关法定义务和约定义务；',
    '二、所提交的申请材料真实、准确、完整、有效，不存在隐瞒、虚构、伪造等情形；',
    '三、自觉遵守法律法规，诚信经营，不再发生同类失信行为；',
    '四、如违反上述承诺，愿意接受撤销信用修复决定、重新公示失信信息，并依法承担相应法律责任；',
    '五、本承诺书内容将记入本主体信用记录，并按规定公开。',
    '',
    '信用修复为免费公共服务，本主体未向任何机构支付修复费用。',
    '',
    c.agentName ? `承诺主体（受托代理人：${c.agentName}）` : '承诺主体（签章）',
    chineseDate(c.date),
  ];
  return lines.join('\n');
}
