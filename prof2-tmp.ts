import pg from 'pg';
const stats = new Map<string, [number, number]>();
const orig = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: unknown }).query = function (this: pg.Client, ...a: unknown[]) {
  const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text?: string })?.text ?? 'copy';
  const t = performance.now();
  const r = orig.apply(this, a) as Promise<unknown> | undefined;
  if (r && typeof (r as Promise<unknown>).then === 'function') {
    return (r as Promise<unknown>).finally(() => { const k = String(text).replace(/\s+/g, ' ').slice(0, 60); const s = stats.get(k) ?? [0, 0]; s[0]++; s[1] += performance.now() - t; stats.set(k, s); });
  }
  return r;
};
const c0 = process.cpuUsage();
process.on('beforeExit', () => { const c = process.cpuUsage(c0); console.log('node cpu s', ((c.user + c.system) / 1e6).toFixed(1)); for (const [k, [n, ms]] of [...stats].sort((a, b) => b[1][1] - a[1][1]).slice(0, 10)) console.log(String(n).padStart(7), ms.toFixed(0).padStart(7), k); });
await import('./bench/ingest.bench.ts');
