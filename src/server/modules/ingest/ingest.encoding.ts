import type { AppError } from '../../platform/errors';
import { IngestErrors } from './ingest.errors';

/*
 * Text encodings of CSV files: UTF-8 with or without BOM, GB18030 (which covers GBK and GB2312),
 * UTF-16 with BOM. Detected from the first bytes unless declared; a declared encoding is checked.
 */

export type TextEncodingName = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

const ENCODING_NAMES: Record<string, TextEncodingName> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-8-bom': 'utf-8',
  gb18030: 'gb18030',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  cp936: 'gb18030',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

export function encodingName(declared: string | null | undefined): TextEncodingName | undefined {
  if (declared === undefined || declared === null || declared.trim() === '') return undefined;
  const name = ENCODING_NAMES[declared.trim().toLowerCase().replace(/_/g, '-')];
  if (!name) throw IngestErrors.ENCODING_UNSUPPORTED({ field: 'encoding', encoding: declared });
  return name;
}

/** Offset of the first byte that breaks UTF-8, or -1 (an incomplete sequence at the very end is fine). */
export function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const n =
      c < 0x80
        ? 0
        : c >= 0xc2 && c <= 0xdf
          ? 1
          : c >= 0xe0 && c <= 0xef
            ? 2
            : c >= 0xf0 && c <= 0xf4
              ? 3
              : -1;
    if (n < 0) return i;
    if (i + n >= b.length) return -1;
    for (let k = 1; k <= n; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return i;
    if ((c === 0xe0 && (b[i + 1] as number) < 0xa0) || (c === 0xf0 && (b[i + 1] as number) < 0x90)) return i; // overlong
    if ((c === 0xed && (b[i + 1] as number) >= 0xa0) || (c === 0xf4 && (b[i + 1] as number) >= 0x90))
      return i; // surrogates, > U+10FFFF
    i += n + 1;
  }
  return -1;
}

function decodes(prefix: Buffer, encoding: TextEncodingName): boolean {
  if (encoding === 'utf-8') return firstInvalidUtf8(prefix) < 0;
  try {
    new TextDecoder(encoding, { fatal: true }).decode(prefix, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The text encoding of a file: its BOM, else the declared one (checked), else UTF-8 when the
 * first 64 KB are valid UTF-8, else GB18030 when they decode as GB18030.
 */
export function detectEncoding(prefix: Buffer, declared?: TextEncodingName): TextEncodingName {
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) return 'utf-8';
  if (prefix[0] === 0xff && prefix[1] === 0xfe) return 'utf-16le';
  if (prefix[0] === 0xfe && prefix[1] === 0xff) return 'utf-16be';
  if (declared === 'utf-16le' || declared === 'utf-16be') return declared;
  if (prefix.subarray(0, 8192).includes(0)) throw IngestErrors.NOT_TEXT({ field: 'file' });
  if (declared) {
    if (!decodes(prefix, declared))
      throw IngestErrors.WRONG_ENCODING({
        field: 'encoding',
        encoding: declared.toUpperCase(),
        offset: Math.max(0, firstInvalidUtf8(prefix)),
      });
    return declared;
  }
  if (decodes(prefix, 'utf-8')) return 'utf-8';
  if (decodes(prefix, 'gb18030')) return 'gb18030';
  throw IngestErrors.WRONG_ENCODING({
    field: 'file',
    encoding: 'UTF-8 / GB18030',
    offset: firstInvalidUtf8(prefix),
  });
}

/** Bytes → text, failing the whole file at the first byte that is not in the encoding. */
export async function* decode(
  bytes: AsyncIterable<Buffer>,
  encoding: TextEncodingName,
): AsyncGenerator<string> {
  const td = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  const fail = (): AppError =>
    IngestErrors.WRONG_ENCODING({ field: 'file', encoding: encoding.toUpperCase(), offset });
  for await (const chunk of bytes) {
    let s: string;
    try {
      s = td.decode(chunk, { stream: true });
    } catch {
      throw fail();
    }
    offset += chunk.length;
    if (s) yield s;
  }
  let tail: string;
  try {
    tail = td.decode();
  } catch {
    throw fail();
  }
  if (tail) yield tail;
}
