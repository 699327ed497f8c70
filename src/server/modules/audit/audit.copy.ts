/**
 * A reader of PostgreSQL's binary COPY format (COPY … TO STDOUT (FORMAT binary)), for the verifier's
 * bulk read of the event log: the cheapest way to move millions of rows out of PostgreSQL (no text
 * formatting on the server, no per-row objects or type parsing in Node).
 *
 * Format (PostgreSQL docs, "COPY — Binary Format"): an 11-byte signature, int32 flags, int32 header
 * extension length and the extension; then per tuple an int16 field count (-1 ends the data) and per
 * field an int32 length (-1 = NULL) followed by that many bytes. All integers are big-endian.
 *
 * Rows are handed over as (buffer, field offsets) without copying: `field(i)` is the byte range of
 * field i in `buf` (start, length; length -1 for NULL), valid only during the callback.
 */
export interface CopyRow {
  buf: Buffer;
  /** Per field: start offset at [2i], length at [2i+1] (-1 = NULL). */
  fields: Int32Array;
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

export class CopyFormatError extends Error {}

export class BinaryCopyReader {
  private pending: Buffer | null = null;
  private headerDone = false;
  private ended = false;
  private readonly row: CopyRow;

  constructor(
    private readonly width: number,
    private readonly onRow: (row: CopyRow) => void,
  ) {
    this.row = { buf: Buffer.alloc(0), fields: new Int32Array(2 * width) };
  }

  /** Feeds the next chunk of the COPY stream; complete rows are passed to onRow at once. */
  push(chunk: Buffer): void {
    if (this.ended) {
      if (chunk.length > 0) throw new CopyFormatError('data after the end of the COPY stream');
      return;
    }
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = 0;
    if (!this.headerDone) {
      if (buf.length < 19) {
        this.pending = buf;
        return;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new CopyFormatError('not a binary COPY stream');
      const ext = buf.readUInt32BE(15);
      if (buf.length < 19 + ext) {
        this.pending = buf;
        return;
      }
      pos = 19 + ext;
      this.headerDone = true;
    }
    const fields = this.row.fields;
    const width = this.width;
    this.row.buf = buf;
    const n = buf.length;
    while (pos + 2 <= n) {
      const count = buf.readInt16BE(pos);
      if (count === -1) {
        this.ended = true;
        pos += 2;
        break;
      }
      if (count !== width) throw new CopyFormatError(`expected ${width} fields, got ${count}`);
      let p = pos + 2;
      let complete = true;
      for (let i = 0; i < width; i++) {
        if (p + 4 > n) {
          complete = false;
          break;
        }
        const len = buf.readInt32BE(p);
        p += 4;
        fields[2 * i] = p;
        fields[2 * i + 1] = len;
        if (len > 0) p += len;
        if (p > n) {
          complete = false;
          break;
        }
      }
      if (!complete) break;
      this.onRow(this.row);
      pos = p;
    }
    this.pending = pos < n ? buf.subarray(pos) : null;
    if (this.pending && this.ended) throw new CopyFormatError('data after the end of the COPY stream');
  }

  /** Call when the stream ended: throws if it stopped inside a row or before its trailer. */
  finish(): void {
    if (!this.ended) throw new CopyFormatError('the COPY stream ended early');
  }
}
