import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json';
import {
  NoteFormatError,
  computeKeyId,
  eventLeafJson,
  formatCheckpoint,
  formatNote,
  formatVerifierKey,
  keyIdHex,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  sha256,
  sm3,
  toHex,
  utf8,
  type EventLeaf,
} from '.';

// The example of golang.org/x/mod/sumdb/note (the reference implementation of C2SP signed notes).
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

describe('C2SP signed notes', () => {
  it('reads the Go sumdb/note example: key ID, verifier key and the Ed25519 signature', () => {
    const key = parseVerifierKey(GO_VKEY);
    expect(key.name).toBe('PeterNeumann');
    expect(keyIdHex(key.keyId)).toBe('c74f20a3');
    expect(formatVerifierKey(key.name, key.keyData)).toBe(GO_VKEY);
    const note = parseNote(GO_NOTE);
    expect(note.text).toBe(GO_TEXT);
    expect(note.signatures).toHaveLength(1);
    const sig = note.signatures[0];
    expect(sig?.keyId).toBe(key.keyId);
    const pub = createPublicKey({
      key: Buffer.concat([ED25519_SPKI, key.keyData.subarray(1)]),
      format: 'der',
      type: 'spki',
    });
    expect(verify(null, Buffer.from(note.text), pub, sig?.signature as Uint8Array)).toBe(true);
    expect(formatNote(note.text, note.signatures)).toBe(GO_NOTE);
  });

  it('refuses malformed notes and keys', () => {
    expect(() => parseNote(GO_TEXT)).toThrow(NoteFormatError);
    expect(() => parseNote(GO_NOTE.replace('— ', '-- '))).toThrow(NoteFormatError);
    expect(() => parseNote(GO_NOTE.slice(0, -1))).toThrow(NoteFormatError);
    expect(() => parseNote(GO_NOTE.replace('Peter', 'Pe\tter'))).toThrow(NoteFormatError);
    expect(() => parseVerifierKey(GO_VKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(NoteFormatError);
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3')).toThrow(NoteFormatError);
  });

  it('formats and parses checkpoints (c2sp.org/tlog-checkpoint)', () => {
    const root = sha256(utf8('x'));
    const text = formatCheckpoint({ origin: 'xinyong.local/log', size: 20852163, rootHash: root });
    expect(text).toBe(`xinyong.local/log\n20852163\n${Buffer.from(root).toString('base64')}\n`);
    const back = parseCheckpoint(text);
    expect(back.size).toBe(20852163);
    expect(toHex(back.rootHash)).toBe(toHex(root));
    expect(() => parseCheckpoint('xinyong.local/log\n012\nAA==\n')).toThrow(NoteFormatError);
    expect(() => parseCheckpoint('xinyong.local/log\n12\n')).toThrow(NoteFormatError);
    expect(() => formatCheckpoint({ origin: 'has space', size: 1, rootHash: root })).toThrow(NoteFormatError);
  });

  it('computes key IDs as SHA-256(name ‖ LF ‖ type ‖ key)[:4]', () => {
    const data = new Uint8Array([1, ...randomBytes(32)]);
    const digest = createHash('sha256').update('n.example/k\n').update(data).digest();
    expect(computeKeyId('n.example/k', data)).toBe(digest.readUInt32BE(0));
  });
});

describe('event leaves', () => {
  const text = fc.string({ unit: 'binary', maxLength: 40 });
  const leaf: fc.Arbitrary<EventLeaf> = fc.record({
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    at: text,
    actorKind: text,
    actorId: fc.option(text, { nil: null }),
    type: text,
    subjectId: fc.option(fc.integer({ min: 1, max: 2 ** 53 - 1 }), { nil: null }),
    entityType: text,
    entityId: text,
    requestId: fc.option(text, { nil: null }),
    payloadSha256: text,
  });

  it('the fast serialiser writes exactly canonicalJson(leaf)', () => {
    fc.assert(
      fc.property(leaf, (l) => {
        expect(eventLeafJson(l)).toBe(canonicalJson(l));
      }),
      { numRuns: 500 },
    );
  });
});

describe('pure hashes agree with node:crypto', () => {
  it('for every length across block boundaries', () => {
    for (let len = 0; len < 300; len++) {
      const m = randomBytes(len);
      expect(toHex(sha256(m))).toBe(createHash('sha256').update(m).digest('hex'));
      expect(toHex(sm3(m))).toBe(createHash('sm3').update(m).digest('hex'));
    }
  });
});
