import { IngestErrors } from './ingest.errors';

/*
 * JSON records as text, one at a time: NDJSON lines, or the elements of a top-level JSON array
 * split without parsing the whole array. Each text is parsed (and judged) as one row later.
 */

/** No single record may be larger than this (a 10 000-character field is far below it). */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

export interface TextRow {
  rowNo: number;
  text: string;
}

/** Lines of NDJSON (a line may not exceed MAX_RECORD_BYTES characters). */
export async function* lines(text: AsyncIterable<string>): AsyncGenerator<TextRow> {
  let buf = '';
  let lineNo = 0;
  for await (const chunk of text) {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      lineNo++;
      if (line.trim()) yield { rowNo: lineNo, text: line };
    }
    if (buf.length > MAX_RECORD_BYTES)
      throw IngestErrors.FILE_UNREADABLE({
        field: 'file',
        reason: `第 ${lineNo + 1} 行超过 ${MAX_RECORD_BYTES} 个字符`,
        reasonEn: `line ${lineNo + 1} is longer than ${MAX_RECORD_BYTES} characters`,
      });
  }
  lineNo++;
  if (buf.trim()) yield { rowNo: lineNo, text: buf.replace(/\r$/, '') };
}

/** The elements of a top-level JSON array, one text each, without parsing the whole array. */
export async function* arrayElements(text: AsyncIterable<string>): AsyncGenerator<TextRow> {
  let state: 'start' | 'between' | 'element' | 'end' = 'start';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let current = '';
  let index = 0;
  const bad = (why: string, whyEn: string) =>
    IngestErrors.FILE_UNREADABLE({ field: 'file', reason: why, reasonEn: whyEn });
  for await (const chunk of text) {
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i] as string;
      if (state === 'end') {
        if (!/\s/.test(ch)) throw bad('JSON 数组结束后还有内容', 'content after the end of the JSON array');
        continue;
      }
      if (state === 'start') {
        if (/\s|\ufeff/.test(ch)) continue;
        if (ch !== '[') throw bad('不是 JSON 数组', 'not a JSON array');
        state = 'between';
        continue;
      }
      if (state === 'between') {
        if (/\s|,/.test(ch)) continue;
        if (ch === ']') {
          state = 'end';
          continue;
        }
        state = 'element';
        current = '';
      }
      // state === 'element'
      if (inString) {
        current += ch;
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (depth === 0 && (ch === ',' || ch === ']')) {
        index++;
        yield { rowNo: index, text: current };
        state = ch === ']' ? 'end' : 'between';
        continue;
      }
      current += ch;
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          index++;
          yield { rowNo: index, text: current };
          state = 'between';
        }
      }
      if (current.length > MAX_RECORD_BYTES)
        throw bad(`第 ${index + 1} 条记录过大`, `record ${index + 1} is too large`);
    }
  }
  if (state !== 'end') throw bad('JSON 数组不完整', 'the JSON array is incomplete');
}
