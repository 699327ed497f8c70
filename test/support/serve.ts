import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { TEST_KEYS } from './app';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `xinyong serve` in a child process on `databaseUrl`, its data directory `dataDir` (the spool of
 * acknowledged uploads among it); resolves once it listens.
 */
export async function serveChild(opts: {
  databaseUrl: string;
  dataDir: string;
  port: number;
}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/xinyong.js', 'serve'], {
    env: {
      ...process.env,
      ...TEST_KEYS,
      DATABASE_URL: opts.databaseUrl,
      XINYONG_DATA_DIR: opts.dataDir,
      XINYONG_PORT: String(opts.port),
      XINYONG_LOG_LEVEL: 'silent',
      XINYONG_DB_POOL: '4',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('serving on')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited (${String(code)}): ${out}`)));
  });
  return child;
}

/** Sends `signal` to the child (if it still runs) and resolves once it has exited. */
export function killChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
