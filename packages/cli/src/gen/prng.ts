/**
 * A small, fast, deterministic PRNG (xoshiro128**) that is re-seeded per generation unit.
 *
 * Why per unit: every order (the unit lineitem is split by) gets its own stream, derived by
 * hashing (seed, stream salt, unit index). So a row's values depend only on the seed and its
 * order's index, never on how many rows came before it. That makes parts independent (generate
 * part 3 alone, or parts in any order, in any process) and makes N part files together equal
 * the one-part output, row for row. dbgen reaches the same property by skipping ahead in its
 * streams; re-seeding is simpler and costs four hash rounds per order.
 *
 * Only 32-bit integer arithmetic (imul, >>>), no BigInt: this sits in the hot loop.
 */

// Builtins bound once: hot paths then avoid global lookups, which are slow inside vm contexts
// (jest runs tests in one) and free elsewhere.
const { imul, floor } = Math;

/** Salts keep logically different streams apart, so adding a stream never shifts another. */
export const StreamSalt = {
  /** Order-level facts and the lineitems of that order. */
  ORDER_LINES: 0x6c696e65,
  /** Reserved for order-only columns (o_custkey, o_orderpriority, ...) when `orders` is added. */
  ORDER_ONLY: 0x6f726472,
  /** The fixed text pool the comments are cut from. */
  TEXT_POOL: 0x74657874,
} as const;

/** 32-bit finaliser from murmur3: a good avalanche in a handful of operations. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;

export class UnitRng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** Re-seed for one unit. `unit` may be any safe integer >= 0 (it is split into two 32-bit words). */
  reseed(seed: number, salt: number, unit: number): void {
    const lo = unit >>> 0;
    const hi = floor(unit / TWO_POW_32) >>> 0;
    const base = mix32(mix32(seed >>> 0) ^ mix32(floor(seed / TWO_POW_32) ^ salt));
    const k = mix32(base ^ mix32(lo + 0x9e3779b9)) ^ mix32(hi ^ 0x7f4a7c15);
    this.s0 = mix32(k ^ 0x243f6a88) | 0;
    this.s1 = mix32(k ^ 0x85a308d3) | 0;
    this.s2 = mix32(k ^ 0x13198a2e) | 0;
    this.s3 = mix32(k ^ 0x03707344) | 0;
    // xoshiro's state must not be all zeros; mix32 of distinct inputs makes that practically
    // impossible, but keep the guarantee exact.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const result = imul(rotl(imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /**
   * Uniform integer in [lo, hi] (inclusive), by multiply-shift. The bias is below range/2^32,
   * far under anything a TPC-H range can show, and it keeps the draw to one call.
   */
  int(lo: number, hi: number): number {
    return lo + floor(this.nextU32() * (hi - lo + 1) * INV_TWO_POW_32);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
