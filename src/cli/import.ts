import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../server/platform/context';
import { fieldCryptoOf } from '../server/platform/crypto';
import { openDatabase } from '../server/platform/database';
import { withTransaction } from '../server/platform/db';
import { AppError } from '../server/platform/errors';
import { appendEvents } from '../server/platform/events';
import { departmentByUscc } from '../server/modules/accounts';
import { readEvent } from '../server/modules/audit';
import { getBatch, ingest, locateSpool, rejectedCsv, rejectedRowsRead } from '../server/modules/ingest';
import { parseCommand, refuseUsage } from './args';
import { installedConfig } from './backup';
import type { Io } from './main';

type Env = Record<string, string | undefined>;

/** The `route` of the read event `--rejected` writes (an HTTP read names its method and path). */
export const REJECTED_READ_ROUTE = 'cli: xinyong import --rejected';

export const IMPORT_USAGE = `用法 / usage: xinyong import <file> --department <USCC> [--item <code>] [--encoding gb18030] [--layout current|legacy2016] [--rejected <out.csv>]
  以部门身份把一个 CSV、XLSX 或 NDJSON 文件导入为一个批次（与网页上传相同的校验）。
  Imports one CSV, XLSX or NDJSON file as one batch of a department (the same checks as an upload).
  --department <USCC>  提交部门的统一社会信用代码（必填） / the submitting department's USCC (required)
  --item <code>        目录项编码，如 XZCF（默认由文件判断） / catalogue item code, e.g. XZCF (default: from the file)
  --encoding <E>       CSV 的字符编码，如 gb18030（默认 UTF-8） / the CSV's encoding, e.g. gb18030 (default UTF-8)
  --layout <L>         current 或 legacy2016（2016 版双公示格式） / current or legacy2016 (the 2016 layout)
  --rejected <out.csv> 把被拒绝的行及原因写入该文件 / write the rejected rows with their reasons to this file
  退出码 / exit status: 0 批次已处理（含被拒绝的行） batch processed (rejected rows included); 1 失败 failed; 2 用法错误 usage error`;

async function sha256Of(file: string): Promise<Buffer> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest();
}

const fmt = (n: number) => n.toLocaleString('en-US');

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Progress: a bar on a terminal (bytes read of the file, rows, rows/s), otherwise a line every
 * few seconds so that logs of scheduled imports show the job moving.
 */
function progressReporter(io: Io, size: number, tty: boolean) {
  const t0 = performance.now();
  let bytes = 0;
  let rows = 0;
  let last = 0;
  const render = (final: boolean) => {
    const ms = performance.now() - t0;
    const rate = ms > 0 ? Math.round((rows / ms) * 1000) : 0;
    if (tty) {
      const frac = size > 0 ? Math.min(1, bytes / size) : 0;
      const width = 28;
      const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
      process.stderr.write(
        `\r${bar} ${String(Math.round(frac * 100)).padStart(3)}%  ${fmt(rows)} 行/rows  ${fmt(rate)} 行/s  ${clock(ms)}${final ? '\n' : ''}`,
      );
    } else if (!final) io.out(`已处理 / processed ${rows} rows (${rate} rows/s, ${clock(ms)})`);
  };
  return {
    counter: new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb(null, chunk);
      },
    }),
    onProgress(n: number) {
      rows = n;
      const now = performance.now();
      if (now - last < (tty ? 200 : 2000)) return;
      last = now;
      render(false);
    },
    done() {
      if (tty) render(true);
    },
  };
}

/**
 * `xinyong import <file> --department <USCC>`: one batch through the same service as the HTTP
 * upload (same checks, same transaction, same history). Exit 0 when the batch was processed, even
 * with rejected rows; 1 when it could not be (unknown department, unreadable file, no valid rows…);
 * 2 for a usage error.
 */
export async function importCommand(argv: string[], io: Io, env: Env = process.env): Promise<number> {
  const args = parseCommand(
    argv,
    {
      usage: IMPORT_USAGE,
      valued: ['department', 'item', 'encoding', 'layout', 'rejected'],
      positionals: ['<file>'],
    },
    io,
  );
  if (typeof args === 'number') return args;
  const file = args.positionals[0] as string;
  const uscc = args.flags.get('department');
  if (typeof uscc !== 'string') {
    return refuseUsage(
      io,
      IMPORT_USAGE,
      `缺少 --department <USCC>（提交部门） / --department <USCC> (the submitting department) is required`,
    );
  }
  const flag = (k: string): string | null => {
    const v = args.flags.get(k);
    return typeof v === 'string' ? v : null;
  };
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    io.err(`无法读取文件（不存在或不是文件） / cannot read the file (missing, or not a file): ${file}`);
    return 1;
  }

  // The installation's keys (environment, key file, or a demo's kept keys), never new ones: an ID
  // number encrypted under an invented key could never be read by the server again.
  const config = installedConfig(env);
  const db = await openDatabase(config);
  const actor: Actor = { kind: 'system', name: `cli:${os.userInfo().username}` };
  const caller = { actor, requestId: `cli-${randomUUID()}`, now: new Date() };
  const deps = {
    pool: db.pool,
    crypto: fieldCryptoOf(config),
    // A server's acknowledged batches waiting in its spool are not abandoned (docs/ingest.md).
    spoolDir: await locateSpool(db.pool, config.dataDir),
  };
  try {
    const department = await departmentByUscc({ ...caller, db: db.pool }, uscc.trim().toUpperCase());
    if (!department) {
      io.err(`未知的部门 / unknown department: ${uscc}`);
      return 1;
    }
    const sha256 = await sha256Of(file);
    const progress = progressReporter(io, size, process.stderr.isTTY === true);
    const input = createReadStream(file).pipe(progress.counter);
    io.out(`导入 / importing ${path.basename(file)} (${fmt(size)} bytes) → ${department.name}`);
    const result = await ingest(deps, caller, {
      departmentId: department.id,
      itemCode: flag('item'),
      encoding: flag('encoding'),
      layout: flag('layout'),
      fileName: path.basename(file),
      channel: 'cli',
      input,
      sha256,
      sizeBytes: size,
      onProgress: progress.onProgress,
    });
    progress.done();
    const b = result.batch;
    if (result.duplicateOf !== null)
      io.out(
        `此文件已于批次 ${b.id} 处理过，未重复导入 / this exact file was already processed as batch ${b.id}; nothing imported again`,
      );
    const c = b.counts;
    io.out(
      `批次 / batch ${b.id} [${b.itemCode}, ${b.format}${b.encoding ? `, ${b.encoding}` : ''}${b.layout ? `, ${b.layout}` : ''}]: ` +
        `新增 accepted ${fmt(c.accepted)}, 更新 updated ${fmt(c.updated)}, 未变 unchanged ${fmt(c.unchanged)}, ` +
        `拒绝 rejected ${fmt(c.rejected)}${c.skipped ? `, 跳过 skipped ${fmt(c.skipped)}` : ''}` +
        (b.durationMs !== null && result.duplicateOf === null
          ? ` in ${(b.durationMs / 1000).toFixed(1)} s`
          : ''),
    );
    if (c.rejected > 0) {
      const out = flag('rejected');
      if (out) {
        const ctx = { ...caller, db: db.pool };
        const row = await getBatch(ctx, deps, b.id);
        // Writing the rejected rows out is a non-public read like their download: one `data.read`
        // event naming the registered subjects whose codes the rows hold, before the file is written.
        const read = await rejectedRowsRead(ctx, deps.crypto, row, 'csv', null);
        const body = await rejectedCsv(db.pool, deps.crypto, row);
        await withTransaction(db.pool, (tx) =>
          appendEvents({ ...caller, now: new Date(), db: tx }, [readEvent(read, REJECTED_READ_ROUTE)]),
        );
        await pipeline(body, createWriteStream(out));
        io.out(`被拒绝的行已写入 / rejected rows written to ${out}`);
      } else
        io.out(
          `被拒绝的行及原因 / rejected rows with reasons: GET /api/v1/ingest/batches/${b.id}/rejected.csv ` +
            `(或 / or: xinyong import … --rejected <out.csv>)`,
        );
    }
    if (b.status !== 'done') {
      io.err(`${b.error?.messages['zh-CN'] ?? '批次失败'} / ${b.error?.messages.en ?? 'the batch failed'}`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      io.err(`${err.code}: ${err.text.zh} / ${err.text.en}`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}
