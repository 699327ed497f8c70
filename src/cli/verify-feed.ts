import { readFile } from 'node:fs/promises';
import { auditSettings, logSigner, publishedKey } from '../server/modules/audit';
import { installedConfig } from './backup';
import { verifyFeedPage, type TrustedKey } from '../server/modules/feed';
import { parseArgs } from './args';
import type { Io } from './main';

/**
 * `xinyong verify-feed <file> [--keys <log-keys.json>] [--keys-url <url>]`: verifies change-feed
 * pages a subscriber received (one JSON page, or one page per line) — every event's signature, the
 * page signature and the order. Trusted keys: a saved copy of /.well-known/xinyong/log-keys, that
 * URL fetched now, or (on the platform's own machine) its configured signing keys, retired ones too.
 */
export async function verifyFeedCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['keys', 'keys-url']);
  const file = args.positionals[0];
  if (!file) {
    io.err('用法 / usage: xinyong verify-feed <file> [--keys <log-keys.json>] [--keys-url <url>]');
    return 2;
  }
  const keys = await trustedKeys(args.flags.get('keys'), args.flags.get('keys-url'));
  const text = (await readFile(file, 'utf8')).trim();
  let pages: unknown[];
  try {
    pages = [JSON.parse(text)];
  } catch {
    pages = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as unknown);
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

async function trustedKeys(
  file: string | true | undefined,
  url: string | true | undefined,
): Promise<TrustedKey[]> {
  if (typeof file === 'string')
    return (JSON.parse(await readFile(file, 'utf8')) as { keys: TrustedKey[] }).keys;
  if (typeof url === 'string') {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return ((await res.json()) as { keys: TrustedKey[] }).keys;
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
