/**
 * The aggregate-UDF calling convention (ABI version 1, manifest kind `aggregate-udf`), next to the
 * scalar one in udf-abi.ts whose column layout it reuses.
 *
 * A manifest entry `{ name, args, result, stateBytes }` stands for four exports of the module,
 * all taking `i32` pointers and counts into the imported memory:
 *
 *   <name>_init(states, groups)                              writes `groups` empty states
 *   <name>_update(states, groupIds, <args as scalar UDF>, rows)  folds rows into their group's state
 *   <name>_merge(states, otherStates, groups)                folds otherStates[g] into states[g]
 *   <name>_finalize(states, groups, out, outValidity) → i32  one result per group, returns nulls
 *
 * `states` is `groups * stateBytes` bytes, group g at `states + g * stateBytes` (8-byte aligned:
 * stateBytes is a multiple of 8). The host owns the group count and where states live; the state's
 * content is the plugin's. `groupIds` holds one i32 per row; a negative id means "skip this row"
 * (the host marks rows a WHERE clause dropped that way). The argument columns follow the scalar
 * ABI (utf8: offsets, data, validity; others: values, validity; validity 0 = no nulls); like SQL's
 * own aggregates, a plugin should ignore rows whose arguments are NULL. The result is fixed-width
 * (no utf8), written in Arrow layout with a validity bitmap, as a scalar UDF's.
 *
 * Rules the host relies on, so answers are the same bit for bit wherever and however parallel the
 * scan runs:
 *   - `_init` writes the same bytes for every group (the host may init once and copy);
 *   - `_merge` is element-wise: group g's result depends only on states[g] and otherStates[g]
 *     (the host batches merges of distinct groups into one call);
 *   - everything is deterministic (no clocks, no randomness).
 * The host merges states in a fixed order: per batch slice at the base node (in scan order, like
 * float SUMs, see engine exec/agg-log.ts), then per fragment at the intermediary (in fragment
 * order). Between tiers a state travels as stateBytes/8 int64 columns `<call>$s0, <call>$s1, ...`
 * (the raw bytes: no new Arrow type, no NaN canonicalisation).
 */
import type { PluginFunction } from './manifest-types.js';
import { scalarUdfSignature } from './udf-abi.js';

/** The four phases, in the order a query uses them. */
export const AGGREGATE_UDF_PHASES = ['init', 'update', 'merge', 'finalize'] as const;
export type AggregateUdfPhase = (typeof AGGREGATE_UDF_PHASES)[number];

/** The export that implements `phase` of aggregate `fn`, e.g. `var_welford_update`. */
export function aggregateExportName(fn: string, phase: AggregateUdfPhase): string {
  return `${fn}_${phase}`;
}

/** Number of int64 columns one call's state takes in a partial-aggregate batch. */
export function stateWords(stateBytes: number): number {
  return stateBytes / 8;
}

/** The WebAssembly signature the ABI gives each phase of `fn` (all parameters i32). */
export function aggregateUdfSignatures(
  fn: PluginFunction,
): Record<AggregateUdfPhase, { params: string[]; results: string[] }> {
  const i32 = (n: number) => Array<string>(n).fill('i32');
  // The arguments as a scalar UDF takes them, minus the scalar result's (values, validity).
  const argParams = scalarUdfSignature({ ...fn, result: 'int64' }).params.length - 3;
  return {
    init: { params: i32(2), results: [] },
    update: { params: i32(2 + argParams + 1), results: [] },
    merge: { params: i32(3), results: [] },
    finalize: { params: i32(4), results: ['i32'] },
  };
}
