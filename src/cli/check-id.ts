/**
 * `xinyong check-id [--kind uscc|org_code|citizen_id|gs15] [--today YYYY-MM-DD] <code>... | -`
 *
 * One JSON line per input on `out`; exit 0 when all are valid, 1 when any is invalid, 2 on a
 * usage error. Checksum overrides recorded in the database are not consulted here: this command
 * answers "does the code follow the coding rules", not "is it registered".
 */
import { checkId, isIdKind, isRealDate, type IdKind } from '../domain/identifiers';

export interface CheckIdIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Whole of standard input, for the `-` argument; injectable so tests need no real stdin. */
  readonly readStdin?: () => Promise<string>;
}

export const CHECK_ID_USAGE = [
  '用法 / usage: xinyong check-id [--kind uscc|org_code|citizen_id|gs15] [--today YYYY-MM-DD] <代码 code>... | -',
  '  校验统一社会信用代码、组织机构代码、公民身份号码或工商注册号，每个输入输出一行 JSON。',
  '  Validates USCCs, organisation codes, citizen ID numbers or GS15 registration numbers; one JSON line per input.',
  '  --kind   指定代码类型（默认自动识别） / identifier kind (detected when omitted)',
  '  --today  判断出生日期是否晚于今天所用的日期（默认北京时间今天） / date for the "born in the future" check (default: today in Beijing)',
  '  -        从标准输入读取代码，每行一个 / read codes from standard input, one per line',
  '  退出码 / exit status: 0 全部有效 all valid; 1 存在无效 some invalid; 2 用法错误 usage error',
];

/** Citizen ID dates are civil dates in China, so "today" is Beijing's, not the host's zone. */
function beijingToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface ParsedArgs {
  readonly kind?: IdKind;
  readonly today?: string;
  readonly codes: readonly string[];
  readonly stdin: boolean;
  readonly help: boolean;
}

function parseArgs(argv: readonly string[]): ParsedArgs | { readonly error: string } {
  let kind: IdKind | undefined;
  let today: string | undefined;
  let stdin = false;
  let help = false;
  let optionsEnded = false;
  const codes: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      if (arg === '-' && !optionsEnded) stdin = true;
      else codes.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (name !== '--kind' && name !== '--today') {
      return { error: `未知选项 / unknown option: ${arg}` };
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '') {
      return { error: `${name} 缺少取值 / ${name} needs a value` };
    }
    if (name === '--kind') {
      if (!isIdKind(value)) {
        return { error: `未知类型 / unknown kind: ${value} (uscc, org_code, citizen_id, gs15)` };
      }
      kind = value;
    } else {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !isRealDate(value.replaceAll('-', ''))) {
        return {
          error: `--today 应为有效的 YYYY-MM-DD 日期 / --today must be a real YYYY-MM-DD date: ${value}`,
        };
      }
      today = value;
    }
  }
  return { kind, today, codes, stdin, help };
}

export async function checkIdCommand(argv: string[], io: CheckIdIo): Promise<number> {
  const parsed = parseArgs(argv);
  const usageError = (msg: string): number => {
    io.err(msg);
    for (const line of CHECK_ID_USAGE) io.err(line);
    return 2;
  };
  if ('error' in parsed) return usageError(parsed.error);
  if (parsed.help) {
    for (const line of CHECK_ID_USAGE) io.out(line);
    return 0;
  }
  const codes = [...parsed.codes];
  if (parsed.stdin) {
    const text = await (io.readStdin ?? readProcessStdin)();
    codes.push(...text.split(/\r?\n/).filter((l) => l.trim() !== ''));
  }
  if (codes.length === 0) return usageError('未提供代码 / no codes given');

  const today = parsed.today ?? beijingToday();
  let allValid = true;
  for (const code of codes) {
    const result = checkId(code, { kind: parsed.kind, today });
    if (!result.valid) allValid = false;
    io.out(JSON.stringify(result));
  }
  return allValid ? 0 : 1;
}
