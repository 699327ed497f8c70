import type { FastifyRequest } from 'fastify';
import { safeFilename, sniffEvidence } from '../../../domain/remedies';
import { RemedyErrors } from './remedies.errors';
import type { IncomingFile } from './remedies.repair';

/** Files one upload request may carry (an application holds up to the policy's maxFiles). */
export const FILES_PER_REQUEST = 10;
const ENVELOPE = 64 * 1024;

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** Refuses a request that declares more bytes than its files could lawfully take, before reading it. */
export function refuseOversized(request: FastifyRequest, maxFileBytes: number): void {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxFileBytes * FILES_PER_REQUEST + ENVELOPE)
    throw RemedyErrors.FILE_TOO_LARGE({
      field: 'file',
      filename: '(request)',
      limit: maxFileBytes,
      limitText: sizeText(maxFileBytes),
      declared,
    });
}

/**
 * A file part's bytes, refused the moment it passes the limit (busboy signals `limit`; waiting for
 * the part to end would mean reading the rest of an oversized upload first).
 */
function collect(file: NodeJS.ReadableStream, max: number, filename: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    file.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    file.once('limit', () =>
      reject(RemedyErrors.FILE_TOO_LARGE({ field: 'file', filename, limit: max, limitText: sizeText(max) })),
    );
    file.once('error', reject);
    file.once('end', () => {
      if (size > max || (file as { truncated?: boolean }).truncated)
        reject(
          RemedyErrors.FILE_TOO_LARGE({ field: 'file', filename, limit: max, limitText: sizeText(max) }),
        );
      else resolve(Buffer.concat(chunks));
    });
  });
}

/**
 * Reads the files of a multipart request: a `kind` field (evidence | authorisation) applies to the
 * files after it. Each file is held in memory up to the limit (10 MB by default), then judged by its
 * first bytes; a file over the limit is refused as soon as the limit is passed.
 */
export async function readUploads(request: FastifyRequest, maxFileBytes: number): Promise<IncomingFile[]> {
  try {
    return await read(request, maxFileBytes);
  } catch (err) {
    switch ((err as { code?: string }).code) {
      case 'FST_FILES_LIMIT':
      case 'FST_PARTS_LIMIT':
        throw RemedyErrors.TOO_MANY_FILES({ field: 'file', max: FILES_PER_REQUEST });
      case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
        throw RemedyErrors.NO_FILE({ field: 'file' });
      case 'ERR_STREAM_PREMATURE_CLOSE':
        throw RemedyErrors.UPLOAD_INCOMPLETE({ field: 'file' });
      default:
        if (err instanceof Error && /terminated early|Unexpected end/i.test(err.message))
          throw RemedyErrors.UPLOAD_INCOMPLETE({ field: 'file' });
        throw err;
    }
  }
}

async function read(request: FastifyRequest, maxFileBytes: number): Promise<IncomingFile[]> {
  const out: IncomingFile[] = [];
  let kind: IncomingFile['kind'] = 'evidence';
  const parts = request.parts({
    limits: { fileSize: maxFileBytes, files: FILES_PER_REQUEST, fields: 10, parts: 30 },
  });
  for await (const part of parts) {
    if (part.type === 'field') {
      if (part.fieldname !== 'kind') continue;
      if (part.value !== 'evidence' && part.value !== 'authorisation')
        throw RemedyErrors.FILE_KIND_INVALID({ field: 'kind' });
      kind = part.value;
      continue;
    }
    const filename = part.filename || 'file';
    const content = await collect(part.file, maxFileBytes, filename);
    if (!content.length) throw RemedyErrors.FILE_EMPTY({ field: 'file', filename });
    const sniffed = sniffEvidence(content.subarray(0, 16), filename);
    if (!sniffed.ok) {
      if (sniffed.code === 'EXECUTABLE')
        throw RemedyErrors.FILE_EXECUTABLE({ field: 'file', filename, kind: sniffed.kind });
      throw RemedyErrors.FILE_TYPE_NOT_ALLOWED({ field: 'file', filename, declared: part.mimetype });
    }
    out.push({ kind, filename: safeFilename(filename, sniffed.ext), mediaType: sniffed.mediaType, content });
  }
  if (!out.length) throw RemedyErrors.NO_FILE({ field: 'file' });
  return out;
}
