/**
 * The operator ABI shared by the host and the AssemblyScript kernels (operators/<name>/assembly).
 *
 * Memory layout of the one `WebAssembly.Memory` an instance set shares:
 *
 *   0 ..  1 KiB        unused (a null pointer never aliases data)
 *   1 KiB .. 64 KiB    static data of the modules; each gets its own `--memoryBase`
 *                      (filter 1024, project 2048, aggregate 3072), checked at load
 *   64 KiB ..          the host's arena: a permanent all-ones mask of CHUNK_ROWS bytes, then
 *                      per-call scratch (column copies, masks, results), bump-allocated and
 *                      released when the call returns
 *
 * Column buffers use Arrow layouts (values; offsets + data for utf8). Inside the kernels a
 * boolean or a validity is a byte mask (0x00/0xFF per row) rather than a bitmap, so SIMD lanes
 * widen by sign extension; `bitmap_to_mask` / `mask_to_bitmap` convert at the edges.
 */

/** Version of this ABI; every module exports `ABI_VERSION` and must match. */
export const ABI_VERSION = 1;

/** Where the host's arena starts: above every module's static data. */
export const ARENA_BASE = 64 * 1024;

/** The built-in operator modules an instance set loads, in load order. */
export const OPERATOR_MODULES = ['filter', 'project', 'aggregate'] as const;
export type OperatorModuleName = (typeof OPERATOR_MODULES)[number];

/** Rows per kernel call: batches are processed in slices of at most this many rows. */
export const CHUNK_ROWS = 65_536;

/** Interleaved accumulator copies of the grouped count/sum kernels (aggregate module). */
export const GROUP_ACC_COPIES = 4;

/** Comparison op codes (filter module). */
export const CMP = { '=': 0, '<>': 1, '<': 2, '<=': 3, '>': 4, '>=': 5 } as const;

/** Arithmetic op codes (project module). */
export const ARITH = { '+': 0, '-': 1, '*': 2, '/': 3 } as const;

/** The op that gives the same result with operands swapped (`5 < x` is `x > 5`). */
export const FLIPPED_CMP = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

type Ptr = number;

/** Exports of the filter module (comparisons and mask algebra). */
export interface FilterKernels {
  cmp_f64(op: number, a: Ptr, b: Ptr, n: number, out: Ptr): void;
  cmp_f64_s(op: number, a: Ptr, s: number, n: number, out: Ptr): void;
  cmp_i64(op: number, a: Ptr, b: Ptr, n: number, out: Ptr): void;
  cmp_i64_s(op: number, a: Ptr, s: bigint, n: number, out: Ptr): void;
  cmp_i32(op: number, a: Ptr, b: Ptr, n: number, out: Ptr): void;
  cmp_i32_s(op: number, a: Ptr, s: number, n: number, out: Ptr): void;
  cmp_utf8(op: number, offsA: Ptr, dataA: Ptr, offsB: Ptr, dataB: Ptr, n: number, out: Ptr): void;
  cmp_utf8_s(op: number, offs: Ptr, data: Ptr, s: Ptr, sl: number, n: number, out: Ptr): void;
  like_prefix(offs: Ptr, data: Ptr, p: Ptr, pl: number, n: number, out: Ptr): void;
  mask_and(a: Ptr, b: Ptr, n: number, out: Ptr): void;
  mask_or(a: Ptr, b: Ptr, n: number, out: Ptr): void;
  mask_andnot(a: Ptr, b: Ptr, n: number, out: Ptr): void;
  mask_not(a: Ptr, n: number, out: Ptr): void;
  kleene_and(va: Ptr, ma: Ptr, vb: Ptr, mb: Ptr, n: number, outV: Ptr, outM: Ptr): void;
  kleene_or(va: Ptr, ma: Ptr, vb: Ptr, mb: Ptr, n: number, outV: Ptr, outM: Ptr): void;
  bitmap_to_mask(bm: Ptr, bitOffset: number, n: number, out: Ptr): void;
  mask_to_bitmap(mask: Ptr, n: number, out: Ptr): void;
  mask_count(mask: Ptr, n: number): number;
  mask_to_sel(mask: Ptr, n: number, out: Ptr): number;
}

/** Exports of the project module (arithmetic and widening conversions). */
export interface ProjectKernels {
  arith_f64(op: number, a: Ptr, b: Ptr, n: number, out: Ptr): void;
  arith_f64_s(op: number, a: Ptr, s: number, rev: number, n: number, out: Ptr): void;
  arith_i64(op: number, a: Ptr, b: Ptr, n: number, out: Ptr): void;
  arith_i64_s(op: number, a: Ptr, s: bigint, rev: number, n: number, out: Ptr): void;
  i32_to_f64(a: Ptr, n: number, out: Ptr): void;
  i32_to_i64(a: Ptr, n: number, out: Ptr): void;
  i64_to_f64(a: Ptr, n: number, out: Ptr): void;
  nonzero_f64(a: Ptr, n: number, out: Ptr): void;
}

/** Exports of the aggregate module (masked and grouped aggregates, key dictionaries). */
export interface AggregateKernels {
  sum_f64(vals: Ptr, mask: Ptr, n: number): number;
  sum_i64(vals: Ptr, mask: Ptr, n: number): bigint;
  sum_i32(vals: Ptr, mask: Ptr, n: number): bigint;
  min_f64(vals: Ptr, mask: Ptr, n: number): number;
  max_f64(vals: Ptr, mask: Ptr, n: number): number;
  min_i64(vals: Ptr, mask: Ptr, n: number): bigint;
  max_i64(vals: Ptr, mask: Ptr, n: number): bigint;
  min_i32(vals: Ptr, mask: Ptr, n: number): number;
  max_i32(vals: Ptr, mask: Ptr, n: number): number;
  /** Counts and sums accumulate into GROUP_ACC_COPIES interleaved copies of `card` slots. */
  grp_count(ids: Ptr, mask: Ptr, n: number, acc: Ptr, card: number): void;
  grp_sum_f64(ids: Ptr, vals: Ptr, mask: Ptr, n: number, acc: Ptr, card: number): void;
  grp_sum_i64(ids: Ptr, vals: Ptr, mask: Ptr, n: number, acc: Ptr, card: number): void;
  grp_sum_i32(ids: Ptr, vals: Ptr, mask: Ptr, n: number, acc: Ptr, card: number): void;
  grp_min_f64(ids: Ptr, vals: Ptr, mask: Ptr, n: number, acc: Ptr): void;
  grp_max_f64(ids: Ptr, vals: Ptr, mask: Ptr, n: number, acc: Ptr): void;
  grp_min_i64(ids: Ptr, vals: Ptr, mask: Ptr, n: number, acc: Ptr): void;
  grp_max_i64(ids: Ptr, vals: Ptr, mask: Ptr, n: number, acc: Ptr): void;
  grp_min_i32(ids: Ptr, vals: Ptr, mask: Ptr, n: number, acc: Ptr): void;
  grp_max_i32(ids: Ptr, vals: Ptr, mask: Ptr, n: number, acc: Ptr): void;
  dict_i32(vals: Ptr, mask: Ptr, n: number, codes: Ptr, table: Ptr, cap: number, reps: Ptr): number;
  dict_i64(
    vals: Ptr,
    mask: Ptr,
    n: number,
    codes: Ptr,
    table: Ptr,
    cap: number,
    reps: Ptr,
    canonF64: number,
  ): number;
  dict_utf8(
    offs: Ptr,
    data: Ptr,
    mask: Ptr,
    n: number,
    codes: Ptr,
    table: Ptr,
    cap: number,
    reps: Ptr,
  ): number;
  dict_utf8_byte(offs: Ptr, data: Ptr, mask: Ptr, n: number, codes: Ptr, table: Ptr, reps: Ptr): number;
  combine_codes(a: Ptr, b: Ptr, cardB: number, n: number, out: Ptr): void;
  combine_codes_i64(a: Ptr, b: Ptr, cardB: number, n: number, out: Ptr): void;
  first_rows(ids: Ptr, n: number, reps: Ptr): void;
}
