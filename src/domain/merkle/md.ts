/**
 * Merkle–Damgård driver shared by SHA-256 and SM3 (both: 64-byte blocks, 0x80 padding, 64-bit
 * big-endian bit length, eight 32-bit words of state). Hashes a message without copying its full
 * blocks; only the tail is padded in a scratch buffer.
 */
export type Compress = (state: Int32Array, block: Uint8Array, offset: number) => void;

const scratch = new Uint8Array(128);

export function mdHash(iv: Int32Array, compress: Compress, msg: Uint8Array): Uint8Array {
  const state = iv.slice();
  const n = msg.length;
  let off = 0;
  for (; off + 64 <= n; off += 64) compress(state, msg, off);
  const rem = n - off;
  const total = rem + 9 <= 64 ? 64 : 128;
  scratch.fill(0, 0, total);
  scratch.set(msg.subarray(off), 0);
  scratch[rem] = 0x80;
  const hi = Math.floor(n / 0x20000000); // bits above 2^32 of the bit length (n * 8)
  const lo = (n * 8) >>> 0;
  scratch[total - 8] = hi >>> 24;
  scratch[total - 7] = (hi >>> 16) & 255;
  scratch[total - 6] = (hi >>> 8) & 255;
  scratch[total - 5] = hi & 255;
  scratch[total - 4] = lo >>> 24;
  scratch[total - 3] = (lo >>> 16) & 255;
  scratch[total - 2] = (lo >>> 8) & 255;
  scratch[total - 1] = lo & 255;
  compress(state, scratch, 0);
  if (total === 128) compress(state, scratch, 64);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = state[i] as number;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = (v >>> 16) & 255;
    out[i * 4 + 2] = (v >>> 8) & 255;
    out[i * 4 + 3] = v & 255;
  }
  return out;
}
