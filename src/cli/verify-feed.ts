import { readFile } from 'node:fs/promises';
import { auditSettings, logSigner, publishedKey } from '../server/modules/audit';
import { installedConfig } from './backup';
import { verifyFeedPage, type TrustedKey } from '../server/modules/feed';
import { parseCommand, refuseUsage } from './args';
import type { Io } from './main';

export const VERIFY_FEED_USAGE = `用法 / usage: xinyong verify-feed <file> [--keys <log-keys.json> | --keys-url <url>]
  校验收到的变更流页面（一个 JSON 页面，或每行一个页面）：每个事件的签名、页面签名与顺序。
  Verifies received change-feed pages (one JSON page, or one page per line): event and page signatures, order.
  --keys F       已保存的 /.well-known/xinyong/log-keys 副本 / a saved copy of /.well-known/xinyong/log-keys
  --keys-url U   现在从该地址获取密钥 / fetch the keys from this URL now
                 （都不给时使用本机平台配置的签名密钥 / neither: this installation's configured signing keys）
  退出码 / exit status: 0 通过 OK; 1 无效或无法读取 invalid or unreadable; 2 用法错误 usage error`;

/**
 * `xinyong verify-feed <file> [--keys <log-keys.json>] [--keys-url <url>]`: verifies change-feed
 * pages a subscriber received (one JSON page, or one page per line) — every event's signature, the
 * page signature and the order. Trusted keys: a saved copy of /.well-known/xinyong/log-keys, that
 * URL fetched now, or (on the platform's own machine) its configured signing keys, retired ones too.
 */
export async function verifyFeedCommand(argv: string[], io: Io): Promise<number> {
  const args = parseCommand(
    argv,
    { usage: VERIFY_FEED_USAGE, valued: ['keys', 'keys-url'], positionals: ['<file>'] },
    io,
  );
  if (typeof args === 'number') return args;
  const file = args.positionals[0] as string;
  if (args.flags.has('keys') && args.flags.has('keys-url')) {
    return refuseUsage(
      io,
      VERIFY_FEED_USAGE,
      `--keys 与 --keys-url 只能给一个 / give --keys or --keys-url, not both`,
    );
  }
  const keys = await trustedKeys(args.flags.get('keys'), args.flags.get('keys-url'));
  const text = (await readFile(file, 'utf8')).trim();
  let pages: unknown[];
  try {
    pages = [JSON.parse(text)];
  } catch {
    const lines = text.split('\n');
    pages = [];
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      try {
        pages.push(JSON.parse(line) as unknown);
      } catch {
        io.err(
          `${file}: 第 ${i + 1} 行不是 JSON，应为一个变更流页面或每行一个页面 / ` +
            `line ${i + 1} is not JSON: expected one feed page, or one page per line`,
        );
        return 1;
      }
    }
  }
  let ok = true;
  let events = 0;
  let last = -Infinity;
  for (const [i, page] of pages.entries()) {
    const r = verifyFeedPage(page, keys);
    events += r.events;
    if (r.firstSeq !== null && r.firstSeq <= last) {
      ok = false;
      io.out(`第 ${i + 1} 页 / page ${i + 1}: 序号未递增 / sequence goes back (${r.firstSeq} after ${last})`);
    }
    if (r.lastSeq !== null) last = r.lastSeq;
    if (!r.ok) {
      ok = false;
      for (const p of r.problems)
        io.out(
          `第 ${i + 1} 页 / page ${i + 1}: ${p.problem}${p.seq !== null ? ` seq ${p.seq}` : ''}: ${p.message}`,
        );
    }
  }
  if (ok)
    io.out(
      `通过 / OK: ${pages.length} 页 / pages, ${events} 个事件 / events，签名与顺序均有效 / signatures and order valid`,
    );
  else io.out('失败 / FAILED: 内容被改动或不是本平台签发 / altered, or not issued by this platform');
  return ok ? 0 : 1;
}

/** The `keys` of a log-keys document, or a bilingual refusal naming where it came from. */
function keysOf(text: string, from: string): TrustedKey[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = null;
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys))
    throw new Error(
      `${from}: 不是 /.well-known/xinyong/log-keys 的内容（缺少 keys 数组） / ` +
        'not a /.well-known/xinyong/log-keys document (no keys array)',
    );
  return keys as TrustedKey[];
}

async function trustedKeys(
  file: string | true | undefined,
  url: string | true | undefined,
): Promise<TrustedKey[]> {
  if (typeof file === 'string') return keysOf(await readFile(file, 'utf8'), file);
  if (typeof url === 'string') {
    let res: Response;
    try {
      res = await fetch(url);
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new Error(`无法获取密钥 / cannot fetch the keys: ${url} (${cause})`);
    }
    if (!res.ok) throw new Error(`无法获取密钥 / cannot fetch the keys: ${url}: HTTP ${res.status}`);
    return keysOf(await res.text(), url);
  }
  // The installation's own keys (its key settings, or the demo's saved ones; never invented), the
  // current signing key and those retired by a rotation, which signed the older pages.
  const config = installedConfig(process.env);
  const origin = auditSettings({ ...process.env, XINYONG_CHECKPOINT_MS: '0' }).origin;
  return [config.signingKey, ...config.previousSigningKeys].map((k) => {
    const { keyId, publicKey } = publishedKey(logSigner(config.audit.suite, origin, k));
    return { keyId, publicKey };
  });
}
