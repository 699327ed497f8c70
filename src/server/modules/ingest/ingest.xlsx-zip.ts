import { createReadStream, createWriteStream } from 'node:fs';
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/*
 * exceljs' streaming reader reads a zip in one forward pass and, on Node ≥ 18, intermittently loses
 * the archive's last entry (exceljs#3064: ~1 read in 8 here). exceljs writes `xl/workbook.xml` last,
 * so the platform's own templates were refused at random ("Cannot read properties of undefined
 * (reading 'sheets')"); a file whose last entry is the shared strings would lose cell texts.
 *
 * So the reader is given the same archive re-ordered from its central directory: the parts exceljs
 * needs before any worksheet first (relationships, workbook, shared strings, styles), then every
 * other entry as stored, then an empty padding entry that nothing reads — the one the forward pass
 * may drop. Entries are copied byte for byte (local header and data); nothing is inflated or held
 * in memory. An entry written with a data descriptor gets a local header with its sizes instead.
 */

const FIRST = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'];

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;

export class ZipLayoutError extends Error {}

interface Entry {
  name: string;
  /** The bytes to copy: from its local header to the end of its data (data descriptor included). */
  start: number;
  end: number;
  /**
   * For an entry written with a data descriptor: a local header with the sizes and CRC filled in
   * from the central directory, sent instead of the stored one; `start` is then where its data
   * begins and the descriptor is left out.
   */
  header?: Buffer;
}

type Handle = Awaited<ReturnType<typeof open>>;

async function readAt(fh: Handle, position: number, length: number): Promise<Buffer> {
  const b = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(b, got, length - got, position + got);
    if (bytesRead === 0) throw new ZipLayoutError('zip: unexpected end of file');
    got += bytesRead;
  }
  return b;
}

/** The central directory: where it is and how many entries it lists (zip64 aware). */
async function directory(
  fh: Handle,
  size: number,
): Promise<{ offset: number; length: number; count: number }> {
  const tail = Math.min(size, 22 + 0xffff);
  const buf = await readAt(fh, size - tail, tail);
  let at = -1;
  for (let i = buf.length - 22; i >= 0; i--)
    if (buf.readUInt32LE(i) === SIG_EOCD) {
      at = i;
      break;
    }
  if (at < 0) throw new ZipLayoutError('zip: no end of central directory');
  let count = buf.readUInt16LE(at + 10);
  let length = buf.readUInt32LE(at + 12);
  let offset = buf.readUInt32LE(at + 16);
  if ((count === 0xffff || length === 0xffffffff || offset === 0xffffffff) && at >= 20) {
    const loc = at - 20;
    if (buf.readUInt32LE(loc) === SIG_EOCD64_LOCATOR) {
      const eocd64 = await readAt(fh, Number(buf.readBigUInt64LE(loc + 8)), 56);
      if (eocd64.readUInt32LE(0) !== SIG_EOCD64) throw new ZipLayoutError('zip: bad zip64 end record');
      count = Number(eocd64.readBigUInt64LE(32));
      length = Number(eocd64.readBigUInt64LE(40));
      offset = Number(eocd64.readBigUInt64LE(48));
    }
  }
  // Offsets and sizes come from the file: nothing is read, or allocated, beyond it.
  if (offset + length > size || count * 46 > length)
    throw new ZipLayoutError('zip: central directory out of bounds');
  return { offset, length, count };
}

async function entries(fh: Handle, size: number): Promise<Entry[]> {
  const dir = await directory(fh, size);
  const cd = await readAt(fh, dir.offset, dir.length);
  const found: {
    name: string;
    start: number;
    compressed: number;
    uncompressed: number;
    crc: number;
    flags: number;
  }[] = [];
  for (let p = 0, i = 0; i < dir.count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL)
      throw new ZipLayoutError('zip: bad central directory');
    const flags = cd.readUInt16LE(p + 8);
    const crc = cd.readUInt32LE(p + 16);
    let compressed = cd.readUInt32LE(p + 20);
    let uncompressed = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let start = cd.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > cd.length)
      throw new ZipLayoutError('zip: bad central directory');
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    // zip64 extended information: the 0xffffffff fields, in order, as 8-byte values.
    for (let e = p + 46 + nameLen, end = e + extraLen; e + 4 <= end;) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressed === 0xffffffff) {
          uncompressed = Number(cd.readBigUInt64LE(q));
          q += 8;
        }
        if (compressed === 0xffffffff) {
          compressed = Number(cd.readBigUInt64LE(q));
          q += 8;
        }
        if (start === 0xffffffff) start = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    found.push({ name, start, compressed, uncompressed, crc, flags });
    p += 46 + nameLen + extraLen + commentLen;
  }
  const out: Entry[] = [];
  for (const f of found) {
    if (f.start + 30 > size) throw new ZipLayoutError(`zip: ${f.name} starts past the end`);
    const head = await readAt(fh, f.start, 30);
    if (head.readUInt32LE(0) !== SIG_LOCAL) throw new ZipLayoutError(`zip: bad local header for ${f.name}`);
    const nameLen = head.readUInt16LE(26);
    const data = f.start + 30 + nameLen + head.readUInt16LE(28);
    const end = data + f.compressed;
    if (end > size) throw new ZipLayoutError(`zip: ${f.name} runs past the end`);
    if (f.flags & 0x08) {
      // Written with a data descriptor (sizes after the data: 12–24 bytes, signature optional).
      // exceljs' reader finds the end of such an entry by searching for the descriptor's signature
      // and reads it as 16 bytes, so a zip64 descriptor (24) or one without a signature breaks it:
      // send a local header that carries the sizes, and the data without the descriptor.
      const name = await readAt(fh, f.start + 30, nameLen);
      out.push({ name: f.name, start: data, end, header: localHeader(head, name, f) });
    } else out.push({ name: f.name, start: f.start, end });
  }
  return out;
}

/** A local header like `head` with no data descriptor: CRC and sizes set (zip64 when they need it). */
function localHeader(
  head: Buffer,
  name: Buffer,
  f: { crc: number; compressed: number; uncompressed: number; flags: number },
): Buffer {
  const big = f.compressed >= 0xffffffff || f.uncompressed >= 0xffffffff;
  const out = Buffer.alloc(30 + name.length + (big ? 20 : 0));
  head.copy(out, 0, 0, 30);
  out.writeUInt16LE(f.flags & ~0x08, 6);
  out.writeUInt32LE(f.crc, 14);
  out.writeUInt32LE(big ? 0xffffffff : f.compressed, 18);
  out.writeUInt32LE(big ? 0xffffffff : f.uncompressed, 22);
  out.writeUInt16LE(name.length, 26);
  out.writeUInt16LE(big ? 20 : 0, 28);
  name.copy(out, 30);
  if (big) {
    const x = 30 + name.length;
    out.writeUInt16LE(0x0001, x);
    out.writeUInt16LE(16, x + 2);
    out.writeBigUInt64LE(BigInt(f.uncompressed), x + 4);
    out.writeBigUInt64LE(BigInt(f.compressed), x + 12);
  }
  return out;
}

/** An empty stored entry, and an end record: what the forward pass may lose instead of a part. */
function padding(): Buffer {
  const name = Buffer.from('xinyong/padding');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(SIG_LOCAL, 0);
  local.writeUInt16LE(10, 4); // version needed
  local.writeUInt16LE(name.length, 26);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  return Buffer.concat([local, name, eocd]);
}

/** The entries of the zip file at `file`, re-ordered for exceljs (see above), as one stream. */
export async function reorderedXlsx(file: string): Promise<Readable> {
  const fh = await open(file, 'r');
  let list: Entry[];
  try {
    list = await entries(fh, (await fh.stat()).size);
  } finally {
    await fh.close();
  }
  const rank = (e: Entry) => {
    const i = FIRST.indexOf(e.name);
    return i < 0 ? FIRST.length : i;
  };
  const ordered = list.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i);
  async function* bytes(): AsyncGenerator<Buffer> {
    for (const { e } of ordered) {
      if (e.header) yield e.header;
      if (e.end > e.start)
        for await (const chunk of createReadStream(file, { start: e.start, end: e.end - 1 }))
          yield chunk as Buffer;
    }
    yield padding();
  }
  return Readable.from(bytes(), { objectMode: false });
}

/**
 * A temporary copy of an XLSX stream, removed by `done`. Always a copy: the stream given is the
 * upload read through its hasher (or the CLI's progress counter), which must see every byte.
 */
export async function xlsxFile(input: Readable): Promise<{ file: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'xinyong-xlsx-'));
  const file = path.join(dir, 'upload.xlsx');
  try {
    await pipeline(input, createWriteStream(file));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { file, done: () => rm(dir, { recursive: true, force: true }) };
}
