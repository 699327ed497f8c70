import { canonicalJson } from '../../../domain/canonical-json';
import { keyIdHex } from '../../../domain/merkle';
import { DEFAULT_ORIGIN, ed25519Signer, type LogSigner } from '../audit';

/**
 * Feed signatures use the platform's one signing key: the audit log's Ed25519 key (same key ID,
 * published at /.well-known/xinyong/log-keys). No second key system.
 */
export interface FeedSigner {
  origin: string;
  keyId: string;
  /** Adds `keyId` and `sig` (Ed25519 over the canonical JSON of everything else). */
  sign<T extends object>(o: T): T & { keyId: string; sig: string };
}

/** `origin`: the log's origin, `config.audit.origin` (XINYONG_LOG_ORIGIN). */
export function feedSigner(signingKey: Buffer, origin: string = DEFAULT_ORIGIN): FeedSigner {
  const settings = { origin };
  const signer: LogSigner = ed25519Signer(settings.origin, signingKey);
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
