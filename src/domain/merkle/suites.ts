import { SIG_ED25519, SIG_OTHER } from './note';
import { sha256 } from './sha256';
import { sm3 } from './sm3';
import type { HashFn } from './tree';

/**
 * A suite fixes the tree hash and the checkpoint signature algorithm together.
 *  - 'sha256-ed25519' (default): SHA-256 tree, Ed25519 checkpoints (C2SP signature type 0x01).
 *  - 'sm3-sm2' (国密): SM3 tree, SM2 checkpoints (C2SP type 0xff followed by SM2_KEY_TAG).
 */
export type SuiteName = 'sha256-ed25519' | 'sm3-sm2';
export type HashName = 'sha256' | 'sm3';

export const SUITE_NAMES: readonly SuiteName[] = ['sha256-ed25519', 'sm3-sm2'];

export const SUITE_HASH: Record<SuiteName, HashName> = { 'sha256-ed25519': 'sha256', 'sm3-sm2': 'sm3' };

/** Identifier after the 0xff type byte in an SM2 verifier key: 0xff ‖ tag ‖ SPKI DER public key. */
export const SM2_KEY_TAG = 'xinyong/sm2-sm3:';

export const SUITE_SIGNATURE_TYPE: Record<SuiteName, number> = {
  'sha256-ed25519': SIG_ED25519,
  'sm3-sm2': SIG_OTHER,
};

/** Pure TypeScript hash functions (any JS runtime). */
export function pureHash(name: HashName): HashFn {
  return name === 'sha256' ? sha256 : sm3;
}

export function isSuiteName(s: string): s is SuiteName {
  return (SUITE_NAMES as readonly string[]).includes(s);
}
