import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * An XLSX file's shared-string table, held in memory while small and on disk past that, so a
 * workbook of millions of distinct texts (each decision number, each name) is read in flat memory.
 * Strings arrive in index order (xl/sharedStrings.xml) before any worksheet cell asks for one
 * (exceljs, in its `emit` mode, defers the worksheets until the zip has been read).
 *
 * On disk: the strings' UTF-8 bytes one after the other, and their start offsets as 8-byte floats;
 * lookups read an offset block (a few cached) and the string's bytes through a read window (rows
 * use their strings roughly in order, so one read serves many), with a small cache of recent
 * strings (cells repeat the same few values: 身份证, 法人及非法人组织, …). The caches are
 * direct-mapped arrays: no per-lookup allocation or map churn.
 */
export const SHARED_STRING_LIMITS = {
  /** Strings kept in memory before the table moves to disk. */
  inMemory: 65_536,
  /** Offsets per block read from disk. */
  blockSize: 8192,
  /** Offset blocks kept (direct-mapped by block number). */
  blocks: 32,
  /** Recently read strings kept (direct-mapped by index). */
  recent: 16_384,
  /** Bytes of strings read from disk at once: neighbours come along (rows use them in order). */
  window: 256 * 1024,
  /** Bytes of strings buffered before a write. */
  writeBuffer: 1 << 20,
};

export class SharedStrings {
  private readonly limits = { ...SHARED_STRING_LIMITS };
  private mem: string[] | null = [];
  private disk: {
    dir: string;
    strings: number;
    offsets: number;
    /** Bytes of strings written (or buffered) so far: the next string's offset. */
    size: number;
    buf: Buffer;
    used: number;
    pendingOffsets: number[];
    written: number;
    blockNo: Int32Array;
    blockData: (Float64Array | undefined)[];
    recentIndex: Int32Array;
    recentText: (string | undefined)[];
    window: Buffer;
    windowStart: number;
    windowLength: number;
  } | null = null;
  private count = 0;
  private sealed = false;

  /** True once the table went to disk. */
  get spilled(): boolean {
    return this.disk !== null;
  }

  add(text: string): void {
    if (this.sealed) throw new Error('shared strings: add after lookup');
    this.count++;
    if (this.mem) {
      this.mem.push(text);
      if (this.mem.length > this.limits.inMemory) this.spill();
      return;
    }
    this.append(text);
  }

  /** The string at `index`; undefined when the table has none there (as exceljs' own table). */
  get(index: number): string | undefined {
    // The first lookup ends the table, in memory or on disk: a later add is refused.
    const d = this.disk ? this.seal() : null;
    this.sealed = true;
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    if (!d) return this.mem?.[index];
    const slot = index & (d.recentIndex.length - 1);
    if (d.recentIndex[slot] === index) return d.recentText[slot];
    const start = this.offset(index);
    const end = this.offset(index + 1);
    const text = this.bytesAt(start, end - start).toString('utf8');
    d.recentIndex[slot] = index;
    d.recentText[slot] = text;
    return text;
  }

  /** Bytes [start, start+len) of the strings file, through the read window. */
  private bytesAt(start: number, len: number): Buffer {
    const d = this.disk as NonNullable<SharedStrings['disk']>;
    if (start < d.windowStart || start + len > d.windowStart + d.windowLength) {
      if (len > d.window.length) d.window = Buffer.allocUnsafe(len);
      const want = Math.max(len, Math.min(d.window.length, d.size - start));
      let got = 0;
      while (got < want) {
        const n = readSync(d.strings, d.window, got, want - got, start + got);
        if (n === 0) break;
        got += n;
      }
      if (got < len) throw new Error('shared strings: file ended early');
      d.windowStart = start;
      d.windowLength = got;
    }
    const from = start - d.windowStart;
    return d.window.subarray(from, from + len);
  }

  /** Removes the files (idempotent). */
  close(): void {
    const d = this.disk;
    this.disk = null;
    this.mem = [];
    if (!d) return;
    for (const fd of [d.strings, d.offsets])
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    rmSync(d.dir, { recursive: true, force: true });
  }

  private spill(): void {
    const dir = mkdtempSync(path.join(tmpdir(), 'xinyong-xlsx-strings-'));
    this.disk = {
      dir,
      strings: openSync(path.join(dir, 'strings'), 'w+'),
      offsets: openSync(path.join(dir, 'offsets'), 'w+'),
      size: 0,
      buf: Buffer.allocUnsafe(this.limits.writeBuffer),
      used: 0,
      pendingOffsets: [],
      written: 0,
      blockNo: new Int32Array(this.limits.blocks).fill(-1),
      blockData: new Array<Float64Array | undefined>(this.limits.blocks),
      recentIndex: new Int32Array(pow2(this.limits.recent)).fill(-1),
      recentText: new Array<string | undefined>(pow2(this.limits.recent)),
      window: Buffer.allocUnsafe(this.limits.window),
      windowStart: 0,
      windowLength: 0,
    };
    const held = this.mem ?? [];
    this.mem = null;
    for (const s of held) this.append(s);
  }

  private append(text: string): void {
    const d = this.disk as NonNullable<SharedStrings['disk']>;
    d.pendingOffsets.push(d.size);
    if (d.pendingOffsets.length >= this.limits.blockSize) this.flushOffsets();
    const len = Buffer.byteLength(text, 'utf8');
    if (d.used + len > d.buf.length) this.flushStrings();
    if (len > d.buf.length) {
      const b = Buffer.from(text, 'utf8');
      writeAll(d.strings, b, d.size);
    } else d.used += d.buf.write(text, d.used, 'utf8');
    d.size += len;
  }

  private flushStrings(): void {
    const d = this.disk as NonNullable<SharedStrings['disk']>;
    if (d.used === 0) return;
    writeAll(d.strings, d.buf.subarray(0, d.used), d.size - d.used);
    d.used = 0;
  }

  private flushOffsets(): void {
    const d = this.disk as NonNullable<SharedStrings['disk']>;
    if (d.pendingOffsets.length === 0) return;
    const b = Buffer.from(Float64Array.from(d.pendingOffsets).buffer);
    writeAll(d.offsets, b, d.written * 8);
    d.written += d.pendingOffsets.length;
    d.pendingOffsets = [];
  }

  /** The first lookup ends the writing: buffers flushed, the end offset written. */
  private seal(): NonNullable<SharedStrings['disk']> {
    const d = this.disk as NonNullable<SharedStrings['disk']>;
    if (this.sealed) return d;
    this.sealed = true;
    this.flushStrings();
    d.pendingOffsets.push(d.size);
    this.flushOffsets();
    return d;
  }

  private offset(i: number): number {
    const d = this.disk as NonNullable<SharedStrings['disk']>;
    const size = this.limits.blockSize;
    const b = Math.floor(i / size);
    const slot = b % d.blockNo.length;
    let block = d.blockData[slot];
    if (d.blockNo[slot] !== b || !block) {
      const count = Math.min(size, this.count + 1 - b * size);
      block = new Float64Array(count);
      const bytes = Buffer.from(block.buffer);
      let got = 0;
      while (got < bytes.length) {
        const n = readSync(d.offsets, bytes, got, bytes.length - got, b * size * 8 + got);
        if (n === 0) throw new Error('shared strings: offsets ended early');
        got += n;
      }
      d.blockNo[slot] = b;
      d.blockData[slot] = block;
    }
    return block[i - b * size] as number;
  }
}

/** The power of two at or above n (at least 1). */
function pow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function writeAll(fd: number, b: Buffer, position: number): void {
  let done = 0;
  while (done < b.length) done += writeSync(fd, b, done, b.length - done, position + done);
}
