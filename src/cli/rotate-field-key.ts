import { countStale, rotateFieldKey } from '../server/modules/audit';
import { openKeyRotation } from './key-rotation';
import type { Io } from './main';

export const ROTATE_FIELD_KEY_USAGE = `用法 / usage: xinyong rotate-field-key [--batch N] [--restart] [--check]
  用 XINYONG_FIELD_KEY 重新加密全部字段密文（旧密文用 XINYONG_FIELD_KEY_PREVIOUS 解密）；中断后再运行即可续跑。
  Re-encrypts every field ciphertext under XINYONG_FIELD_KEY (reading old ones with XINYONG_FIELD_KEY_PREVIOUS); resumable.
  --batch N   每个事务处理的行数，1–100000（默认 500） / rows per transaction, 1..100000 (default 500)
  --restart   从头开始，不从上次中断处继续 / start over instead of resuming
  --check     只统计仍用旧密钥的行，不做更改 / only count the rows still under an old key; change nothing
  退出码 / exit status: 0 全部已用当前密钥 all under the current key; 1 仍有旧密钥的行或失败 rows left or failed; 2 用法错误 usage error`;

/**
 * `xinyong rotate-field-key [--batch N] [--restart] [--check]`: re-encrypts every field-key
 * ciphertext under XINYONG_FIELD_KEY, reading old ones with XINYONG_FIELD_KEY_PREVIOUS. Resumable:
 * run it again after an interruption. `--check` only counts what is still under an old key.
 * See docs/security.md ("Rotating the field key").
 */
export async function rotateFieldKeyCommand(argv: string[], io: Io, env = process.env): Promise<number> {
  const run = await openKeyRotation(argv, io, env, ROTATE_FIELD_KEY_USAGE);
  if (typeof run === 'number') return run;
  const { args, config, batch, crypto, db } = run;
  try {
    if (args.flags.has('check')) {
      const stale = await countStale(db.pool, crypto);
      for (const [target, n] of Object.entries(stale))
        io.out(`${target}: ${n} 行仍用旧密钥 / rows under an old key`);
      return Object.values(stale).some((n) => n > 0) ? 1 : 0;
    }
    io.out(
      `当前字段密钥 / current field key: ${crypto.keyId}; 旧密钥 / previous keys: ${config.previousFieldKeys.length}`,
    );
    let shown = '';
    const report = await rotateFieldKey(db.pool, crypto, {
      batchSize: batch,
      restart: args.flags.has('restart'),
      onProgress: (p) => {
        const line = `… ${p.target}: ${p.done} / ${p.total} (重新加密 / re-encrypted ${p.reencrypted})`;
        if (line !== shown) io.err(line);
        shown = line;
      },
    });
    for (const t of report.targets)
      io.out(
        `${t.target}: ${t.rows} 行已检查 / rows scanned${t.resumedFrom ? ` (从 id ${t.resumedFrom} 继续 / resumed after id ${t.resumedFrom})` : ''}, ` +
          `${t.reencrypted} 行重新加密 / re-encrypted`,
      );
    const stale = await countStale(db.pool, crypto);
    const left = Object.values(stale).reduce((a, b) => a + b, 0);
    if (left > 0) {
      io.out(
        `仍有 ${left} 行使用旧密钥（轮换期间有旧配置的进程写入？）再运行一次 / ${left} rows still under an old key: run again`,
      );
      return 1;
    }
    io.out(
      '完成：全部字段密文已使用当前密钥，可移除 XINYONG_FIELD_KEY_PREVIOUS / done: every field ciphertext uses the current key; XINYONG_FIELD_KEY_PREVIOUS can be removed',
    );
    return 0;
  } finally {
    await db.close();
  }
}
