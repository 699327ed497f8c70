import { AppError } from '../server/platform/errors';

/** Where a command failed on a file or a connection: what Node and `pg` attach to their errors. */
interface SystemError extends Error {
  code?: string;
  path?: string;
  dest?: string;
  address?: string;
  port?: number;
  syscall?: string;
  hostname?: string;
  errors?: unknown[];
}

const CJK = /[\u4e00-\u9fff]/;

/** A database that cannot be reached: what happened, then what to check, zh-CN first. */
const unreachable = (zh: string, en: string): string =>
  `${zh}：请确认 PostgreSQL 已启动且 DATABASE_URL 正确（未设置时使用 XINYONG_DATA_DIR 中的嵌入式数据库） / ` +
  `${en}: check that PostgreSQL is running and DATABASE_URL is right (without it, the embedded database in XINYONG_DATA_DIR is used)`;

/** `host:port` of a failed connection, never the URL (it may hold a password). */
function where(e: SystemError): string {
  const inner = (e.errors ?? []).find((x): x is SystemError => x instanceof Error && 'address' in x);
  const address = e.address ?? inner?.address ?? e.hostname;
  const port = e.port ?? inner?.port;
  return address ? ` ${address}${port ? `:${port}` : ''}` : '';
}

/**
 * One line for the operator, zh-CN first and English, saying what failed and what to do: the
 * command's own bilingual errors as they are, files and database connections explained, anything
 * else as its message. Never a stack trace.
 */
export function describeError(err: unknown): string {
  if (err instanceof AppError) return `${err.code}: ${err.text.zh} / ${err.text.en}`;
  if (!(err instanceof Error)) return `失败 / failed: ${String(err)}`;
  const e = err as SystemError;
  const file = e.path ?? '';
  switch (e.code) {
    case 'ENOENT':
      return `文件或目录不存在 / no such file or directory: ${file}${e.dest ? ` → ${e.dest}` : ''}`;
    case 'EACCES':
    case 'EPERM':
      return `没有权限 / permission denied: ${file}`;
    case 'EISDIR':
      return `这是目录，应为文件 / is a directory, a file is expected: ${file}`;
    case 'ENOTDIR':
      return `路径中有一段不是目录 / a part of the path is not a directory: ${file}`;
    case 'ENOSPC':
      return `磁盘空间不足 / no space left on the device: ${file}`;
    case 'ECONNREFUSED':
      return unreachable(
        `无法连接数据库${where(e)}（连接被拒绝）`,
        `cannot connect to the database${where(e)} (connection refused)`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return unreachable(`找不到数据库主机${where(e)}`, `database host not found${where(e)}`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return unreachable(`数据库${where(e)}不可达`, `the database${where(e)} cannot be reached (${e.code})`);
    case 'EADDRINUSE':
      return (
        `端口已被占用${where(e)}：请停止占用它的进程，或用 XINYONG_PORT 换一个端口 / ` +
        `the address${where(e)} is in use: stop the process that holds it, or choose another XINYONG_PORT`
      );
    case '3D000':
      return `数据库不存在：请先创建（UTF-8）或修正 DATABASE_URL / the database does not exist (${e.message}): create it (UTF-8) or correct DATABASE_URL`;
    case '28P01':
    case '28000':
      return `数据库拒绝登录：请检查 DATABASE_URL 中的用户名和密码 / the database refused the login (${e.message}): check the user and password in DATABASE_URL`;
    case '57P03':
    case '53300':
      return `数据库暂不接受连接，请稍后重试 / the database does not accept connections now (${e.message}): try again later`;
  }
  if (/^[0-9A-Z]{5}$/.test(e.code ?? '') && 'severity' in e)
    return `数据库错误 / database error ${e.code}: ${e.message}`;
  if (/timeout/i.test(e.message) && /connect/i.test(e.message))
    return unreachable('连接数据库超时', `timed out connecting to the database (${e.message})`);
  return CJK.test(e.message) ? e.message : `失败 / failed: ${e.message}`;
}
