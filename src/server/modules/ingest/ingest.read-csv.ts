import { IngestErrors } from './ingest.errors';

/*
 * A streaming CSV reader (RFC 4180 with the usual leniency): fields quoted with ", "" inside a
 * quoted field, CRLF or LF line ends, a quote inside an unquoted field taken literally, rows of
 * any length. Lines without a quote — nearly all of them in practice — are split with indexOf and
 * split(), which is what makes it several times faster than a general-purpose parser here.
 */

const QUOTE = 34; // "

class UnclosedQuote extends Error {}

function unreadable(line: number, zh: string, en: string) {
  return IngestErrors.FILE_UNREADABLE({
    field: 'file',
    reason: `第 ${line} 行：${zh}`,
    reasonEn: `line ${line}: ${en}`,
  });
}

/**
 * Parses one record starting at `pos` that contains quotes. Returns the fields and the position
 * after the record's line end, or null when `buf` ends inside the record (more text is needed).
 */
function quotedRecord(
  buf: string,
  pos: number,
  delim: string,
  final: boolean,
): { fields: string[]; next: number } | null {
  const fields: string[] = [];
  let i = pos;
  for (;;) {
    let value = '';
    if (buf.charCodeAt(i) === QUOTE) {
      // A quoted field: up to the closing quote, "" standing for one quote.
      let j = i + 1;
      for (;;) {
        const q = buf.indexOf('"', j);
        if (q < 0) {
          if (final) throw new UnclosedQuote();
          return null;
        }
        value += buf.slice(j, q);
        if (buf.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          j = q + 2;
          continue;
        }
        if (q + 1 >= buf.length && !final) return null;
        i = q + 1;
        break;
      }
      // Text after the closing quote and before the delimiter is kept (lenient).
      while (i < buf.length && buf[i] !== delim && buf[i] !== '\n' && buf[i] !== '\r') value += buf[i++];
    } else {
      let j = i;
      while (j < buf.length && buf[j] !== delim && buf[j] !== '\n' && buf[j] !== '\r') j++;
      value = buf.slice(i, j);
      i = j;
    }
    fields.push(value);
    if (i >= buf.length) return final ? { fields, next: buf.length } : null;
    if (buf[i] === delim) {
      i++;
      continue;
    }
    // Line end: \r\n or \n (a lone \r before the end of the buffer needs the next character).
    if (buf[i] === '\r') {
      if (i + 1 >= buf.length && !final) return null;
      i += buf[i + 1] === '\n' ? 2 : 1;
    } else i++;
    return { fields, next: i };
  }
}

/** Records of a CSV text stream, one array of fields each, line-numbered as a spreadsheet would show them. */
export async function* csvRecords(
  text: AsyncIterable<string>,
  delimiter: string,
  maxRecord: number,
): AsyncGenerator<{ rowNo: number; cells: string[] }> {
  let buf = '';
  let rowNo = 0;
  let final = false;
  const it = text[Symbol.asyncIterator]();
  while (!final) {
    const r = await it.next();
    if (r.done) final = true;
    else buf = buf ? buf + r.value : r.value;
    let pos = 0;
    // The next quote at or after pos (-1: none in the buffer): found once, not once per line.
    let quote = buf.indexOf('"');
    const out: { rowNo: number; cells: string[] }[] = [];
    while (pos < buf.length) {
      const nl = buf.indexOf('\n', pos);
      const end = nl < 0 ? buf.length : nl;
      if (quote >= 0 && quote < pos) quote = buf.indexOf('"', pos);
      if (quote < 0 || quote > end) {
        if (nl < 0 && !final) break;
        const line = buf.charCodeAt(end - 1) === 13 ? buf.slice(pos, end - 1) : buf.slice(pos, end);
        out.push({ rowNo: ++rowNo, cells: line.split(delimiter) });
        pos = nl < 0 ? buf.length : nl + 1;
        continue;
      }
      let rec: ReturnType<typeof quotedRecord>;
      try {
        rec = quotedRecord(buf, pos, delimiter, final);
      } catch (err) {
        if (!(err instanceof UnclosedQuote)) throw err;
        throw unreadable(rowNo + 1, '引号未闭合', 'a quote is never closed');
      }
      if (!rec) break;
      out.push({ rowNo: ++rowNo, cells: rec.fields });
      pos = rec.next;
    }
    buf = pos >= buf.length ? '' : buf.slice(pos);
    if (buf.length > maxRecord)
      throw unreadable(
        rowNo + 1,
        `记录超过 ${maxRecord} 个字符（引号未闭合？）`,
        `a record longer than ${maxRecord} characters (an unclosed quote?)`,
      );
    yield* out;
  }
}
