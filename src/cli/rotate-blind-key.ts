import { BLIND_TARGET, blindKeyCensus, countStaleBlind, rotateBlindKey } from '../server/modules/subjects';
import { openKeyRotation } from './key-rotation';
import type { Io } from './main';

/** How many conflicting or unreadable subjects are listed by id (the rest are counted). */
const LISTED = 20;

export const ROTATE_BLIND_KEY_USAGE = `用法 / usage: xinyong rotate-blind-key [--batch N] [--restart] [--check]
  用 XINYONG_BLIND_INDEX_KEY 重新计算全部证件号盲索引（查找期间也尝试 XINYONG_BLIND_INDEX_KEY_PREVIOUS）；中断后再运行即可续跑。
  Recomputes every ID blind index under XINYONG_BLIND_INDEX_KEY (lookups also try XINYONG_BLIND_INDEX_KEY_PREVIOUS); resumable.
  --batch N   每个事务处理的行数，1–100000（默认 500） / rows per transaction, 1..100000 (default 500)
  --restart   从头开始，不从上次中断处继续 / start over instead of resuming
  --check     只统计不在当前密钥下的行，不做更改 / only count the rows not under the current key; change nothing
  退出码 / exit status: 0 全部已用当前密钥 all under the current key; 1 仍有行未完成或失败 rows left or failed; 2 用法错误 usage error`;

/**
 * `xinyong rotate-blind-key [--batch N] [--restart] [--check]`: recomputes every natural person's
 * blind index under XINYONG_BLIND_INDEX_KEY (from the decrypted ID number), while lookups also try
 * XINYONG_BLIND_INDEX_KEY_PREVIOUS. Resumable: run it again after an interruption. `--check` only
 * counts the rows not yet under the current key. See docs/security.md ("Rotating the blind-index key").
 */
export async function rotateBlindKeyCommand(argv: string[], io: Io, env = process.env): Promise<number> {
  const run = await openKeyRotation(argv, io, env, ROTATE_BLIND_KEY_USAGE);
  if (typeof run === 'number') return run;
  const { args, config, batch, crypto, db } = run;
  try {
    const previous = config.previousBlindIndexKeys.length;
    const census = await blindKeyCensus(db.pool, crypto, config.previousBlindIndexKeys);
    const key = crypto.blindKeyId;
    io.out(
      `当前盲索引密钥 / current blind-index key: ${key}; 旧密钥 / previous keys: ${previous}; ` +
        `自然人 / natural persons: ${census.persons}（当前密钥 / current key ${census.current}, ` +
        `旧密钥 / previous keys ${census.previous}, 其他或未知密钥 / other or unknown key ${census.other}）`,
    );
    if (args.flags.has('check')) {
      const stale = census.persons - census.current;
      io.out(`${BLIND_TARGET}: ${stale} 行不在当前盲索引密钥下 / rows not under the current blind-index key`);
      return stale > 0 ? 1 : 0;
    }
    // Nothing to re-index: say why, rather than report "0 rows scanned" as a finished rotation.
    if (census.current === census.persons) {
      if (census.persons === 0)
        io.out(
          `${BLIND_TARGET}: 此数据库中没有自然人，无事可做（请确认这是平台的数据库）/ no natural person in this ` +
            "database: nothing to do (is it the platform's database?)",
        );
      else if (previous === 0)
        io.out(
          `盲索引密钥未更换：全部 ${census.persons} 个自然人已在当前密钥 ${key} 下，无事可做。轮换时把新密钥设为 ` +
            'XINYONG_BLIND_INDEX_KEY、旧密钥设为 XINYONG_BLIND_INDEX_KEY_PREVIOUS / the blind-index key is unchanged: ' +
            `all ${census.persons} natural persons are already under the current key ${key}: nothing to do. ` +
            'To rotate, set the new key in XINYONG_BLIND_INDEX_KEY and the old one in XINYONG_BLIND_INDEX_KEY_PREVIOUS',
        );
      else
        io.out(
          `无事可做：全部 ${census.persons} 个自然人已在当前密钥 ${key} 下（轮换已完成），可移除 ` +
            'XINYONG_BLIND_INDEX_KEY_PREVIOUS 并重启各进程 / nothing to do: all ' +
            `${census.persons} natural persons are already under the current key ${key} (the rotation is done); ` +
            'XINYONG_BLIND_INDEX_KEY_PREVIOUS can be removed (restart every process)',
        );
      return 0;
    }
    if (previous === 0)
      io.err(
        '注意：未配置 XINYONG_BLIND_INDEX_KEY_PREVIOUS；若刚更换了密钥，仍用旧密钥的人员在完成前无法按证件号查到 / ' +
          'note: no XINYONG_BLIND_INDEX_KEY_PREVIOUS configured; if the key was just changed, persons still ' +
          'under the old key cannot be found by ID number until this job is done',
      );
    let shown = '';
    const report = await rotateBlindKey(db.pool, crypto, {
      batchSize: batch,
      restart: args.flags.has('restart'),
      onProgress: (p) => {
        const line = `… ${BLIND_TARGET}: ${p.done} / ${p.total} (重新计算 / re-indexed ${p.reindexed})`;
        if (line !== shown) io.err(line);
        shown = line;
      },
    });
    const resumed = report.resumedFrom
      ? ` (从 id ${report.resumedFrom} 继续 / resumed after id ${report.resumedFrom})`
      : '';
    io.out(
      `${BLIND_TARGET}: ${report.rows} 行已检查 / rows scanned${resumed}, ${report.reindexed} 行重新计算 / ` +
        `re-indexed, ${report.marked} 行仅记录密钥 / key id recorded only`,
    );
    for (const c of report.conflicts.slice(0, LISTED))
      io.out(
        `S${c.id}: 与 S${c.holder} 证件号相同（重复登记），未更改 / same ID number as S${c.holder} ` +
          '(registered twice): left unchanged',
      );
    for (const id of report.unreadable.slice(0, LISTED))
      io.out(`S${id}: 无加密的证件号，无法重新计算 / no encrypted ID number: cannot be re-indexed`);
    const listed = Math.min(report.conflicts.length, LISTED) + Math.min(report.unreadable.length, LISTED);
    const problems = report.conflicts.length + report.unreadable.length;
    if (problems > listed) io.out(`…… 另有 ${problems - listed} 个 / ${problems - listed} more`);
    const left = await countStaleBlind(db.pool, crypto);
    if (left > 0) {
      io.out(
        problems > 0
          ? `仍有 ${left} 行不在当前密钥下：请先处理上列主体，再运行一次 / ${left} rows still not under the current key: ` +
              'resolve the subjects above, then run again'
          : `仍有 ${left} 行不在当前密钥下（轮换期间有旧配置的进程写入？）再运行一次 / ${left} rows still not under ` +
              'the current key (written by a process with the old configuration?): run again',
      );
      return 1;
    }
    io.out(
      '完成：全部盲索引已使用当前密钥，可移除 XINYONG_BLIND_INDEX_KEY_PREVIOUS 并重启各进程 / done: every blind ' +
        'index uses the current key; XINYONG_BLIND_INDEX_KEY_PREVIOUS can be removed (restart every process)',
    );
    return 0;
  } finally {
    await db.close();
  }
}
