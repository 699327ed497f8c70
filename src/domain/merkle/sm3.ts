import { mdHash } from './md';

/**
 * SM3 (GB/T 32905-2016) in plain TypeScript: browsers have no SM3, and a verifier of a 国密 log must
 * be able to recompute it anywhere. The server uses node:crypto's SM3 (OpenSSL) for bulk work.
 */
const IV = new Int32Array([
  0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
]);
const W = new Int32Array(68);
const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));
const TJ = new Int32Array(64);
for (let j = 0; j < 64; j++) TJ[j] = rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32);

function compress(s: Int32Array, block: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const k = off + i * 4;
    W[i] =
      ((block[k] as number) << 24) |
      ((block[k + 1] as number) << 16) |
      ((block[k + 2] as number) << 8) |
      (block[k + 3] as number);
  }
  for (let j = 16; j < 68; j++) {
    const x = (W[j - 16] as number) ^ (W[j - 9] as number) ^ rotl(W[j - 3] as number, 15);
    W[j] = x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(W[j - 13] as number, 7) ^ (W[j - 6] as number);
  }
  let a = s[0] as number;
  let b = s[1] as number;
  let c = s[2] as number;
  let d = s[3] as number;
  let e = s[4] as number;
  let f = s[5] as number;
  let g = s[6] as number;
  let h = s[7] as number;
  for (let j = 0; j < 64; j++) {
    const a12 = rotl(a, 12);
    const ss1 = rotl((a12 + e + (TJ[j] as number)) | 0, 7);
    const ss2 = ss1 ^ a12;
    const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
    const wj = W[j] as number;
    const tt1 = (ff + d + ss2 + (wj ^ (W[j + 4] as number))) | 0;
    const tt2 = (gg + h + ss1 + wj) | 0;
    d = c;
    c = rotl(b, 9);
    b = a;
    a = tt1;
    h = g;
    g = rotl(f, 19);
    f = e;
    e = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
  }
  s[0] = (s[0] as number) ^ a;
  s[1] = (s[1] as number) ^ b;
  s[2] = (s[2] as number) ^ c;
  s[3] = (s[3] as number) ^ d;
  s[4] = (s[4] as number) ^ e;
  s[5] = (s[5] as number) ^ f;
  s[6] = (s[6] as number) ^ g;
  s[7] = (s[7] as number) ^ h;
}

export function sm3(data: Uint8Array): Uint8Array {
  return mdHash(IV, compress, data);
}
