import { canonicalJson } from '../../../domain/canonical-json';
import { keyIdHex } from '../../../domain/merkle';
import { DEFAULT_ORIGIN, signerOfKey, type LogSigner } from '../audit';

/**
 * Feed signatures use the platform's one signing key: the audit log's key (same key ID, published
 * at /.well-known/xinyong/log-keys), Ed25519 or — with XINYONG_LOG_SUITE=sm3-sm2 — SM2 (with SM3
 * and the standard user ID). No second key system.
 */
export interface FeedSigner {
  origin: string;
  keyId: string;
  /** Adds `keyId` and `sig` (the log key's signature over the canonical JSON of everything else). */
  sign<T extends object>(o: T): T & { keyId: string; sig: string };
}

/** `origin`: the log's origin, `config.audit.origin` (XINYONG_LOG_ORIGIN). */
export function feedSigner(signingKey: Buffer, origin: string = DEFAULT_ORIGIN): FeedSigner {
  const settings = { origin };
  const signer: LogSigner = signerOfKey(settings.origin, signingKey);
  const keyId = keyIdHex(signer.keyId);
  return {
    origin: settings.origin,
    keyId,
    sign(o) {
      const unsigned = { ...o, keyId };
      const sig = Buffer.from(signer.sign(canonicalJson(unsigned))).toString('base64');
      return { ...unsigned, sig };
    },
  };
}
