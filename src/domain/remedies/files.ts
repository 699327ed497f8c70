/**
 * What an uploaded evidence file really is, by its first bytes (never by its name or declared
 * type): PDF, JPEG and PNG are accepted; executables and scripts are refused by name.
 */
export type EvidenceType = 'application/pdf' | 'image/jpeg' | 'image/png';

export type Sniffed =
  | { ok: true; mediaType: EvidenceType; ext: 'pdf' | 'jpg' | 'png' }
  | { ok: false; code: 'EXECUTABLE'; kind: string }
  | { ok: false; code: 'TYPE_NOT_ALLOWED' };

const EXEC_EXT =
  /\.(exe|com|bat|cmd|scr|msi|dll|sys|ps1|vbs|vbe|js|jse|wsf|jar|sh|bash|apk|app|elf|bin|run|so|dylib)$/i;

function starts(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  return sig.every((v, i) => b[at + i] === v);
}

/** Executable formats by magic number (PE/MZ, ELF, Mach-O, Java class, script shebang). */
function executableKind(head: Uint8Array): string | null {
  if (starts(head, [0x4d, 0x5a])) return 'PE/MZ';
  if (starts(head, [0x7f, 0x45, 0x4c, 0x46])) return 'ELF';
  for (const sig of [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
  ])
    if (starts(head, sig)) return 'Mach-O';
  if (starts(head, [0xca, 0xfe, 0xba, 0xbe])) return 'Mach-O/Java';
  if (starts(head, [0x23, 0x21])) return 'script';
  return null;
}

/** Classifies a file from its first bytes (at least 8 are needed) and its name. */
export function sniffEvidence(head: Uint8Array, filename: string): Sniffed {
  const exec = executableKind(head);
  if (exec) return { ok: false, code: 'EXECUTABLE', kind: exec };
  if (EXEC_EXT.test(filename.trim())) return { ok: false, code: 'EXECUTABLE', kind: 'extension' };
  if (starts(head, [0x25, 0x50, 0x44, 0x46, 0x2d]))
    return { ok: true, mediaType: 'application/pdf', ext: 'pdf' };
  if (starts(head, [0xff, 0xd8, 0xff])) return { ok: true, mediaType: 'image/jpeg', ext: 'jpg' };
  if (starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { ok: true, mediaType: 'image/png', ext: 'png' };
  return { ok: false, code: 'TYPE_NOT_ALLOWED' };
}

/** A file name safe to store and to echo in a Content-Disposition header. */
export function safeFilename(name: string, ext: string): string {
  const base = name
    .normalize('NFKC')
    .replace(/[\\/:*?"<>|]/g, '_')
    .replace(/\p{Cc}/gu, '_')
    .replace(/\.[^.]*$/, '')
    .trim()
    .slice(0, 80);
  return `${base || 'file'}.${ext}`;
}
