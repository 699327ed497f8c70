import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SUITE_NAMES, isSuiteName, isValidKeyName, type SuiteName } from '../../../domain/merkle';
import { underTestRunner } from '../../platform/env';

/**
 * Settings of the log, parsed by loadConfig (src/server/config.ts) into `config.audit`:
 *  XINYONG_LOG_ORIGIN     the log's identity, first line of every checkpoint and the key name
 *                         (default xinyong.local/log; set it to your domain, e.g. credit.example.gov.cn/log)
 *  XINYONG_CHECKPOINT_MS  how often the server appends new events and signs a checkpoint if the log
 *                         grew (default 60000; 0 turns the scheduler off). Under a test runner the
 *                         scheduler is off unless this variable is set.
 *  XINYONG_LOG_SUITE      the hash suite of the tree and the checkpoint signatures: sha256-ed25519
 *                         (default) or sm3-sm2 (国密). It also fixes what XINYONG_SIGNING_KEY holds
 *                         (signingKeyOf below). A stored tree built by the other suite is refused.
 */
export interface AuditSettings {
  origin: string;
  checkpointMs: number;
  scheduler: boolean;
  suite: SuiteName;
}

export const DEFAULT_ORIGIN = 'xinyong.local/log';
export const DEFAULT_LOG_SUITE: SuiteName = 'sha256-ed25519';

/** XINYONG_LOG_SUITE, or null when it names no suite (loadConfig then reports it). */
export function logSuiteOf(env: Record<string, string | undefined>): SuiteName | null {
  const raw = env.XINYONG_LOG_SUITE || DEFAULT_LOG_SUITE;
  return isSuiteName(raw) ? raw : null;
}

export function auditSettings(env: Record<string, string | undefined>): AuditSettings {
  const origin = env.XINYONG_LOG_ORIGIN || DEFAULT_ORIGIN;
  const problems: string[] = [];
  if (!isValidKeyName(origin))
    problems.push(
      `XINYONG_LOG_ORIGIN=${origin}: 不能为空、不能含空白或 + / must be non-empty, without spaces or +`,
    );
  const raw = env.XINYONG_CHECKPOINT_MS;
  let checkpointMs = 60_000;
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    // Checkpoints are signed at least every minute while the log grows (issue 7): no longer interval.
    if (!Number.isInteger(n) || n < 0 || n > 60_000)
      problems.push(
        `XINYONG_CHECKPOINT_MS=${raw}: 应为 0–60000 的整数（至少每分钟签署一次检查点；0 为关闭）/ must be an integer in 0..60000 (a checkpoint at least every minute; 0 turns it off)`,
      );
    else checkpointMs = n;
  }
  const suite = logSuiteOf(env);
  if (suite === null)
    problems.push(
      `XINYONG_LOG_SUITE=${env.XINYONG_LOG_SUITE}: 未知的哈希套件，应为 ${SUITE_NAMES.join(' 或 ')} / unknown hash suite, must be ${SUITE_NAMES.join(' or ')}`,
    );
  if (problems.length)
    throw new Error(`配置无效 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const underTest = underTestRunner(env);
  const asked = raw !== undefined && raw !== '';
  return {
    origin,
    checkpointMs,
    scheduler: checkpointMs > 0 && (!underTest || asked),
    suite: suite ?? DEFAULT_LOG_SUITE,
  };
}

/** The SM2 curve's OID, 1.2.156.10197.1.301, as DER (in the key's algorithm parameters). */
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');

const SM2_HINT = 'openssl genpkey -algorithm SM2';

/** What a private key is, for messages: `ed25519`, `ec prime256v1`, `SM2`, … */
function describePrivateKey(k: KeyObject, der: Buffer): string {
  if (der.includes(SM2_CURVE_OID)) return 'SM2';
  const curve = k.asymmetricKeyDetails?.namedCurve;
  return [k.asymmetricKeyType ?? 'unknown', curve].filter(Boolean).join(' ');
}

/**
 * A private key from PEM (real or `\n`-escaped line breaks) or base64 DER — PKCS#8, or SEC1 as
 * `openssl pkey -outform DER` writes an EC key — as the key and its PKCS#8 DER; null if none.
 */
function pkcs8Of(raw: string): { key: KeyObject; der: Buffer } | null {
  const text = raw.trim();
  const der = Buffer.from(text, 'base64');
  const attempts: (() => KeyObject)[] = text.startsWith('-----BEGIN')
    ? [() => createPrivateKey(text.replace(/\\n/g, '\n'))]
    : [
        () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
        () => createPrivateKey({ key: der, format: 'der', type: 'sec1' }),
      ];
  for (const attempt of attempts) {
    try {
      const key = attempt();
      return { key, der: key.export({ format: 'der', type: 'pkcs8' }) };
    } catch {
      // the next form
    }
  }
  return null;
}

/**
 * The checkpoint-signing key of XINYONG_SIGNING_KEY (and each of XINYONG_SIGNING_KEY_PREVIOUS) as
 * the suite needs it; throws a bilingual message naming what is wrong (not the setting's name).
 *  - sha256-ed25519: base64 of the 32-byte Ed25519 seed (RFC 8032 private key), like the other keys.
 *  - sm3-sm2: an SM2 private key in PKCS#8, PEM (`openssl genpkey -algorithm SM2`) or base64 of
 *    its DER; returned as the PKCS#8 DER, so the same key gives the same bytes in either form.
 */
export function signingKeyOf(suite: SuiteName, raw: string): Buffer {
  if (suite === 'sha256-ed25519') {
    const seed = Buffer.from(raw, 'base64');
    if (seed.length === 32 && !raw.trim().startsWith('-----BEGIN')) return seed;
    // Not a seed: only parsed as a key to say what it is instead.
    const asPkcs8 = pkcs8Of(raw);
    if (asPkcs8 && describePrivateKey(asPkcs8.key, asPkcs8.der) === 'SM2')
      throw new Error(
        '是 SM2 私钥，而日志套件为 sha256-ed25519；使用 SM2 请设置 XINYONG_LOG_SUITE=sm3-sm2 / ' +
          'is an SM2 private key but the log suite is sha256-ed25519; for SM2 set XINYONG_LOG_SUITE=sm3-sm2',
      );
    throw new Error(
      '应为 32 字节 Ed25519 种子的 base64（套件 sha256-ed25519）/ must be base64 of the 32-byte Ed25519 seed (suite sha256-ed25519)',
    );
  }
  const asPkcs8 = pkcs8Of(raw);
  if (!asPkcs8) {
    const seedLike = Buffer.from(raw, 'base64').length === 32 && !raw.includes('-');
    throw new Error(
      `${seedLike ? '像是 Ed25519 种子（套件 sha256-ed25519）' : '不是 PKCS#8 私钥'}；套件 sm3-sm2 需要 SM2 私钥` +
        `（PKCS#8，PEM 或其 DER 的 base64；可用 ${SM2_HINT} 生成）/ ` +
        `${seedLike ? 'looks like an Ed25519 seed (suite sha256-ed25519)' : 'is not a PKCS#8 private key'}; ` +
        `suite sm3-sm2 needs an SM2 private key (PKCS#8, PEM or base64 of its DER; make one with ${SM2_HINT})`,
    );
  }
  const kind = describePrivateKey(asPkcs8.key, asPkcs8.der);
  if (kind !== 'SM2')
    throw new Error(
      `是 ${kind} 私钥，不是 SM2 私钥；套件 sm3-sm2 需要 SM2 私钥（${SM2_HINT}）/ ` +
        `is a private key of type ${kind}, not SM2; suite sm3-sm2 needs an SM2 private key (${SM2_HINT})`,
    );
  return asPkcs8.der;
}

/** A new signing key for the suite, as XINYONG_SIGNING_KEY would hold it (demo mode). */
export function newSigningKey(suite: SuiteName): string {
  if (suite === 'sha256-ed25519')
    return generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .subarray(-32)
      .toString('base64');
  return generateKeyPairSync('ec', { namedCurve: 'SM2' })
    .privateKey.export({ format: 'der', type: 'pkcs8' })
    .toString('base64');
}
