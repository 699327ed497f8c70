/**
 * The feed's wire format and the verification a subscriber runs on what it received. Depends on
 * node:crypto, the canonical JSON and, for SM2 signatures, `verifySm2` — imported here through the
 * audit module's public surface, which loads that whole module. A subscriber who wants this file on
 * its own copies it with src/domain/canonical-json.ts and audit.sm2.ts (pure: SM2 over OpenSSL's
 * SM3) and verifies with its `pointOfSpki` and `sm2Verify`; or runs `xinyong verify-feed page.json`.
 *
 * Signatures are Ed25519 — or SM2 with SM3 and the standard user ID 1234567812345678 when the
 * platform runs XINYONG_LOG_SUITE=sm3-sm2 — over the canonical JSON (sorted keys, no spaces) of the
 * object without its `sig` member; `keyId` (8 hex digits, the C2SP key ID of the platform's log key)
 * is inside the signed object. Public keys: GET /.well-known/xinyong/log-keys (the same key signs
 * the audit log).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../../domain/canonical-json';
import { verifySm2 } from '../audit';

export const FEED_TYPES = [
  'subject.created',
  'subject.renamed',
  'record.created',
  'record.corrected',
  'record.withdrawn',
  'record.repaired',
  'record.stopped',
  'record.expired',
  'record.disputed',
  'record.dispute_resolved',
  'list_entry.listed',
  'list_entry.published',
  'list_entry.ended',
] as const;
export type FeedType = (typeof FEED_TYPES)[number];

export type RecordState =
  'disclosed' | 'pending' | 'unpublished' | 'expired' | 'withdrawn' | 'repaired' | 'court_order' | 'other';

export interface FeedRecord {
  id: number;
  version: number;
  state: RecordState | string;
  /** The record stopped being shared (credit repair): only id, version and state remain. */
  withheld?: true;
  itemCode?: string;
  itemVersion?: number;
  departmentId?: number;
  docNo?: string;
  decisionDate?: string;
  severity?: string | null;
  disclosedFrom?: string;
  disclosedUntil?: string | null;
  payloadSha256?: string;
}

export interface FeedEvent {
  v: 1;
  seq: number;
  type: FeedType;
  at: string;
  subject: {
    ref: string;
    type: string | null;
    name?: string | null;
    uscc?: string | null;
    previousName?: string | null;
  };
  record?: FeedRecord;
  listEntry?: {
    id: number;
    listType: string;
    departmentId: number;
    decisionNo?: string | null;
    effectiveFrom?: string | null;
    effectiveUntil?: string | null;
    reason?: string | null;
  };
  objection?: { id: number; recordId: number | null; ground: string; outcome?: string | null };
  keyId: string;
  sig: string;
}

export interface FeedPage {
  v: 1;
  origin: string;
  scope: 'public' | 'shared';
  after: string | null;
  next: string;
  more: boolean;
  issuedAt: string;
  events: FeedEvent[];
  keyId: string;
  sig: string;
}

export interface TrustedKey {
  keyId: string;
  /** Raw 32-byte Ed25519 public key, or an SM2 key's SPKI DER, base64 (as published in log-keys). */
  publicKey: string;
}

/** The `keys` of GET /.well-known/xinyong/log-keys, or a list of keys. */
export type KeySource = { keys: readonly TrustedKey[] } | readonly TrustedKey[];

export interface VerifyProblem {
  seq: number | null;
  problem: 'PAGE_SIGNATURE' | 'EVENT_SIGNATURE' | 'UNKNOWN_KEY' | 'ORDER' | 'MALFORMED';
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  events: number;
  firstSeq: number | null;
  lastSeq: number | null;
  keyId: string | null;
  problems: VerifyProblem[];
}

const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

function keyObject(k: TrustedKey): KeyObject {
  const raw = Buffer.from(k.publicKey, 'base64');
  return createPublicKey({
    key: raw.length === 32 ? Buffer.concat([ED25519_SPKI, raw]) : raw,
    format: 'der',
    type: 'spki',
  });
}

function withoutSig<T extends { sig: string }>(o: T): Omit<T, 'sig'> {
  const { sig: _sig, ...rest } = o;
  return rest;
}

/** Ed25519 (or SM2, by the key) over the canonical JSON of `o` without `sig`. */
export function verifySigned(o: { sig: string; keyId: string }, key: KeyObject): boolean {
  try {
    const data = Buffer.from(canonicalJson(withoutSig(o)), 'utf8');
    const sig = Buffer.from(o.sig, 'base64');
    return key.asymmetricKeyType === 'ed25519' ? verify(null, data, key, sig) : verifySm2(key, data, sig);
  } catch {
    return false;
  }
}

/**
 * Verifies a feed page (pulled or pushed): the page signature, every event's signature, and that
 * sequence numbers strictly increase. Any change to any byte of any event fails.
 */
export function verifyFeedPage(page: unknown, keys: KeySource): VerifyResult {
  const list = Array.isArray(keys)
    ? (keys as readonly TrustedKey[])
    : (keys as { keys: readonly TrustedKey[] }).keys;
  const byId = new Map(list.map((k) => [k.keyId.toLowerCase(), keyObject(k)]));
  const problems: VerifyProblem[] = [];
  const p = page as Partial<FeedPage> | null;
  if (
    !p ||
    typeof p !== 'object' ||
    !Array.isArray(p.events) ||
    typeof p.sig !== 'string' ||
    typeof p.keyId !== 'string'
  )
    return {
      ok: false,
      events: 0,
      firstSeq: null,
      lastSeq: null,
      keyId: null,
      problems: [{ seq: null, problem: 'MALFORMED', message: 'not a feed page' }],
    };
  const pageKey = byId.get(p.keyId.toLowerCase());
  if (!pageKey)
    problems.push({ seq: null, problem: 'UNKNOWN_KEY', message: `page signed by unknown key ${p.keyId}` });
  else if (!verifySigned(p as FeedPage, pageKey))
    problems.push({ seq: null, problem: 'PAGE_SIGNATURE', message: 'the page signature does not verify' });
  let last = -Infinity;
  for (const e of p.events as FeedEvent[]) {
    const seq = typeof e?.seq === 'number' ? e.seq : null;
    if (seq === null || typeof e.sig !== 'string' || typeof e.keyId !== 'string') {
      problems.push({ seq, problem: 'MALFORMED', message: 'an event lacks seq, keyId or sig' });
      continue;
    }
    if (seq <= last) problems.push({ seq, problem: 'ORDER', message: `seq ${seq} does not follow ${last}` });
    last = seq;
    const key = byId.get(e.keyId.toLowerCase());
    if (!key)
      problems.push({
        seq,
        problem: 'UNKNOWN_KEY',
        message: `event ${seq} signed by unknown key ${e.keyId}`,
      });
    else if (!verifySigned(e, key))
      problems.push({ seq, problem: 'EVENT_SIGNATURE', message: `event ${seq}: signature does not verify` });
  }
  const events = p.events as FeedEvent[];
  return {
    ok: problems.length === 0,
    events: events.length,
    firstSeq: events[0]?.seq ?? null,
    lastSeq: events[events.length - 1]?.seq ?? null,
    keyId: p.keyId,
    problems,
  };
}
