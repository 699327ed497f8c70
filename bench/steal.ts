/**
 * CPU time the hypervisor gave to other guests ("steal", from /proc/stat) over a stretch of a
 * benchmark. On the shared 2-core VM it reached 20–30 % under load while reading ~4 % at idle, and
 * it moves every absolute figure: print it next to them. Linux only; elsewhere it reports nothing.
 */
import { readFileSync } from 'node:fs';

export interface CpuSnapshot {
  total: number;
  steal: number;
}

export function cpuSnapshot(): CpuSnapshot | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1, 11).map(Number); // user … steal, guest, guest_nice
    if (f.length < 8 || f.some((n) => !Number.isFinite(n))) return null;
    return { total: f.slice(0, 8).reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
  } catch {
    return null;
  }
}

/** "steal 23 %" over the stretch since `from`, or '' when it cannot be read. */
export function stealSince(from: CpuSnapshot | null): string {
  const to = cpuSnapshot();
  if (!from || !to || to.total <= from.total) return '';
  return `steal ${((100 * (to.steal - from.steal)) / (to.total - from.total)).toFixed(0)} %`;
}
