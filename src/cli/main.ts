import { checkIdCommand } from './check-id';
import { importCommand } from './import';
import { serveCommand } from './serve';
import { migrateCommand } from './migrate';
import { seedDemoCommand } from './seed-demo';
import { verifyLogCommand } from './verify-log';
import { verifyFeedCommand } from './verify-feed';
import { backupCommand } from './backup';
import { restoreCommand } from './restore';
import { rotateFieldKeyCommand } from './rotate-field-key';
import { rotateBlindKeyCommand } from './rotate-blind-key';
import { refuseUsage } from './args';
import { describeError } from './errors';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export const USAGE = `用法 / usage: xinyong <command> [options]    （xinyong <command> --help：该命令的用法 / that command's usage）

  serve [--demo]              启动平台 / start the platform (--demo: embedded DB + demo data)
  migrate                     应用数据库迁移 / apply database migrations
  seed-demo [--scale N] [--seed S]
                              生成演示数据（渝中区）/ generate the demo district (N × 2,000 subjects)
  check-id [--kind K] <code>… 校验统一社会信用代码、组织机构代码、身份证号、注册号 / validate identifiers
  import <file> --department <USCC> [--item C] [--encoding E] [--layout current|legacy2016] [--rejected F]
                              导入文件（XLSX、CSV、NDJSON）为一个批次 / import a file as one batch
  verify-log [--key VKEY]… [--only-keys] [--workers N] [--batch N] [--events-only]
                              校验透明日志（事件、默克尔树、检查点）/ verify the transparency log end to end
  verify-feed <file> [--keys F | --keys-url URL]
                              校验收到的变更流页面的签名与顺序 / verify received change-feed pages
  backup <file> [--method pg_dump|copy]
                              备份数据库为一个归档文件 / back up the database into one archive file
  restore <file> [--force]    校验归档并恢复到空数据库 / verify an archive and restore it into an empty database
  rotate-field-key [--batch N] [--restart] [--check]
                              用新字段密钥重新加密全部密文（可续跑）/ re-encrypt field ciphertexts under the new key (resumable)
  rotate-blind-key [--batch N] [--restart] [--check]
                              用新盲索引密钥重新计算证件号盲索引（可续跑）/ recompute ID blind indexes under the new key (resumable)

退出码 / exit status: 0 成功 ok; 1 失败 failed; 2 用法错误 usage error
环境变量 / environment: DATABASE_URL, XINYONG_DATA_DIR, XINYONG_PORT, XINYONG_FIELD_KEY,
XINYONG_FIELD_KEY_PREVIOUS, XINYONG_BLIND_INDEX_KEY, XINYONG_BLIND_INDEX_KEY_PREVIOUS (see docs/operations.md)`;

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serveCommand(rest, io);
      case 'migrate':
        return await migrateCommand(rest, io);
      case 'seed-demo':
        return await seedDemoCommand(rest, io);
      case 'check-id':
        return await checkIdCommand(rest, io);
      case 'import':
        return await importCommand(rest, io);
      case 'verify-log':
        return await verifyLogCommand(rest, io);
      case 'verify-feed':
        return await verifyFeedCommand(rest, io);
      case 'backup':
        return await backupCommand(rest, io);
      case 'restore':
        return await restoreCommand(rest, io);
      case 'rotate-field-key':
        return await rotateFieldKeyCommand(rest, io);
      case 'rotate-blind-key':
        return await rotateBlindKeyCommand(rest, io);
      case undefined:
        return refuseUsage(io, USAGE, '缺少命令 / no command given');
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      default:
        return refuseUsage(io, USAGE, `未知命令 / unknown command: ${command}`);
    }
  } catch (err) {
    // An operator's mistake or a failure outside the program (a file, the database): said in both
    // languages with what to do, never as a stack trace.
    io.err(describeError(err));
    return 1;
  }
}
