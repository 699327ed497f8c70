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
 * lookups read an offset block (cached, a few blocks) and then the string's bytes, with a small
 * cache of recent strings (cells repeat the same few values: 身份证, 法人及非法人组织, …).
 */
export const SHARED_STRING_LIMITS = {
  /** Strings kept in memory before the table moves to disk. */
  inMemory: 65_536,
  /** Offsets per block read from disk. */
  blockSize: 8192,
  /** Offset blocks kept. */
  blocks: 32,
  /** Recently read strings kept. */
  recent: 20_000,
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
    blocks: Map<number, Float64Array>;
    recent: Map<number, string>;
  } | null = null;
  private count = 0;
  private sealed = false;

  get length(): number {
    return this.count;
  }

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
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    if (this.mem) return this.mem[index];
    const d = this.seal();
    const hit = d.recent.get(index);
    if (hit !== undefined) {
      // Most recently used last: Map keeps insertion order.
      d.recent.delete(index);
      d.recent.set(index, hit);
      return hit;
    }
    const start = this.offset(index);
    const end = this.offset(index + 1);
    const bytes = Buffer.allocUnsafe(end - start);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(d.strings, bytes, got, bytes.length - got, start + got);
      if (n === 0) throw new Error('shared strings: file ended early');
      got += n;
    }
    const text = bytes.toString('utf8');
    d.recent.set(index, text);
    if (d.recent.size > this.limits.recent) d.recent.delete(d.recent.keys().next().value as number);
    return text;
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
      blocks: new Map(),
      recent: new Map(),
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
    let block = d.blocks.get(b);
    if (block) {
      d.blocks.delete(b);
      d.blocks.set(b, block);
    } else {
      const count = Math.min(size, this.count + 1 - b * size);
      block = new Float64Array(count);
      const bytes = Buffer.from(block.buffer);
      let got = 0;
      while (got < bytes.length) {
        const n = readSync(d.offsets, bytes, got, bytes.length - got, b * size * 8 + got);
        if (n === 0) throw new Error('shared strings: offsets ended early');
        got += n;
      }
      d.blocks.set(b, block);
      if (d.blocks.size > this.limits.blocks) d.blocks.delete(d.blocks.keys().next().value as number);
    }
    return block[i - b * size] as number;
  }
}

function writeAll(fd: number, b: Buffer, position: number): void {
  let done = 0;
  while (done < b.length) done += writeSync(fd, b, done, b.length - done, position + done);
}
