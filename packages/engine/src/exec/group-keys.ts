/**
 * Group ids for one batch slice, computed in WASM: each key column is dictionary-encoded into
 * dense codes (NULL = code 0), codes of several keys are combined by mixed radix while the
 * product of cardinalities stays small (the low-cardinality fast path, e.g. TPC-H Q1's four
 * groups), and re-dictionary-encoded as int64 when it does not. Any cardinality is handled:
 * tables grow until every distinct value of the slice fits.
 */
import type { AggregateKernels } from '../wasm/abi.js';
import type { ExprEvaluator } from './expr-eval.js';
import type { WVec } from './wasm-values.js';

export interface SliceGroups {
  /** i32 group id per row, in operator memory. */
  readonly ids: number;
  /** Ids are in [0, card). Some may have no rows. */
  readonly card: number;
  /** A row of each group (-1 when a group id has no row), to read key values from. */
  readonly reps: Int32Array;
}

const DIRECT_PRODUCT_LIMIT = 1 << 16;

interface Dict {
  codes: number;
  card: number;
  reps: number;
}

function dictionary(ev: ExprEvaluator, v: WVec, asInt64 = false): Dict {
  const a: AggregateKernels = ev.host.aggregate;
  const vals = ev.vals;
  const n = ev.n;
  const codes = vals.alloc(4 * n);
  let values = v.values;
  if (v.type === 'bool') {
    values = vals.alloc(4 * n);
    const mem = vals.mem;
    for (let i = 0; i < n; i++) mem.i32[(values >> 2) + i] = mem.u8[v.values + i]! & 1;
  }
  if (v.type === 'utf8') {
    // Flags and statuses (all values one byte long) take a direct 256-entry table.
    const table = vals.alloc(256 * 4);
    const reps = vals.alloc(4 * 257);
    const mem = vals.mem;
    mem.u8.fill(0xff, table, table + 256 * 4);
    mem.u8.fill(0xff, reps, reps + 4 * 257);
    const card = a.dict_utf8_byte(v.values, v.data, v.validity, n, codes, table, reps);
    if (card >= 0) return { codes, card, reps };
  }
  for (let cap = 256; ; cap *= 4) {
    const slot = v.type === 'int32' || v.type === 'date32' || v.type === 'bool' ? 8 : 16;
    const table = vals.alloc(cap * slot);
    const reps = vals.alloc(4 * (cap / 2 + 1));
    const mem = vals.mem;
    mem.u8.fill(0xff, table, table + cap * slot);
    mem.u8.fill(0xff, reps, reps + 4 * (cap / 2 + 1));
    let card: number;
    if (asInt64 || v.type === 'int64' || v.type === 'float64') {
      card = a.dict_i64(values, v.validity, n, codes, table, cap, reps, v.type === 'float64' ? 1 : 0);
    } else if (v.type === 'utf8') {
      card = a.dict_utf8(v.values, v.data, v.validity, n, codes, table, cap, reps);
    } else {
      card = a.dict_i32(values, v.validity, n, codes, table, cap, reps);
    }
    if (card >= 0) return { codes, card, reps };
  }
}

export function sliceGroups(ev: ExprEvaluator, keys: readonly WVec[]): SliceGroups {
  const a = ev.host.aggregate;
  const vals = ev.vals;
  const n = ev.n;
  const first = dictionary(ev, keys[0]!);
  let ids = first.codes;
  let card = first.card;
  let reps = first.reps;
  for (let k = 1; k < keys.length; k++) {
    const d = dictionary(ev, keys[k]!);
    if (card * d.card <= DIRECT_PRODUCT_LIMIT) {
      const out = vals.alloc(4 * n);
      a.combine_codes(ids, d.codes, d.card, n, out);
      ids = out;
      card *= d.card;
      reps = 0; // unknown until first_rows
    } else {
      const wide = vals.alloc(8 * n);
      a.combine_codes_i64(ids, d.codes, d.card, n, wide);
      const re = dictionary(ev, { kind: 'vec', type: 'int64', values: wide, data: 0, validity: 0 }, true);
      ids = re.codes;
      card = re.card;
      reps = re.reps;
    }
  }
  if (reps === 0) {
    reps = vals.alloc(4 * card);
    vals.mem.u8.fill(0xff, reps, reps + 4 * card);
    a.first_rows(ids, n, reps);
  }
  return { ids, card, reps: vals.mem.i32.slice(reps >> 2, (reps >> 2) + card) };
}
