/**
 * An in-thread host for aggregate-UDF plugins (aggregate-udf-abi.ts): it owns the states as plain
 * bytes outside the plugin, copies them (and the argument columns) into the plugin's capped memory
 * for each phase call and copies them back out. So states can be cloned to another thread, sent
 * between tiers and merged in any host-chosen grouping without the plugin keeping anything.
 *
 * Every call covers a whole batch (all rows of a slice, all groups to merge or finalize), never a
 * row. Failures are classified like scalar calls (classifyUdfFailure: memory cap, stack, trap),
 * and the instance starts afresh after one. The time budget is the caller's to enforce (the
 * engine arms the scan watchdog around each call).
 *
 * @example
 * const agg = instantiateAggregateUdf(module, manifest);
 * let states = agg.init('var_welford', 2);
 * states = agg.update('var_welford', states, Int32Array.of(0, 1, 0), [{ type: 'float64', values }], 3);
 * const out = agg.finalize('var_welford', states); // float64 per group, validity, nullCount
 */
import { PluginError } from '@pushdown/proto';
import { aggregateExportName, type AggregateUdfPhase } from './aggregate-udf-abi.js';
import { manifestFunctions, type PluginFunction, type PluginManifest } from './manifest-types.js';
import { columnBytes } from './udf-abi.js';
import { classifyUdfFailure, instantiate, pluginArena, type UdfColumn, type UdfResult } from './udf-host.js';

/** An instantiated aggregate-UDF plugin; states are `groups * stateBytes` bytes owned by the caller. */
export interface AggregateUdfInstance {
  readonly manifest: PluginManifest;
  /** The compiled module, so another thread can hold its own instance (sandbox/blocking-call.ts). */
  readonly module: WebAssembly.Module;
  /** The manifest entry of `fn` (stateBytes, args, result); throws if there is none. */
  signature(fn: string): PluginFunction & { stateBytes: number };
  /** `groups` empty states. */
  init(fn: string, groups: number): Uint8Array;
  /** `states` with `rows` rows folded in: row i into group groupIds[i] (negative: skipped). */
  update(
    fn: string,
    states: Uint8Array,
    groupIds: Int32Array,
    args: readonly UdfColumn[],
    rows: number,
  ): Uint8Array;
  /** states[g] merged with other[g], for every group (both the same length). */
  merge(fn: string, states: Uint8Array, other: Uint8Array): Uint8Array;
  /** One result per group. */
  finalize(fn: string, states: Uint8Array): UdfResult;
}

export function instantiateAggregateUdf(
  module: WebAssembly.Module,
  manifest: PluginManifest,
): AggregateUdfInstance {
  if (manifest.kind !== 'aggregate-udf') {
    throw new PluginError(`plugin "${manifest.name}" is of kind ${manifest.kind}, not aggregate-udf`);
  }
  const functions = new Map(manifestFunctions(manifest).map((f) => [f.name.toLowerCase(), f]));
  let live = instantiate(module, manifest);
  let broken = false;

  const signature = (fn: string) => {
    const f = functions.get(fn.toLowerCase());
    if (!f || f.stateBytes === undefined) {
      throw new PluginError(`plugin "${manifest.name}" has no aggregate function "${fn}"`);
    }
    return f as PluginFunction & { stateBytes: number };
  };

  /** Runs one phase with a fresh arena; `body` lays out its buffers and calls the export. */
  const run = <T>(fn: string, phase: AggregateUdfPhase, body: (call: PhaseCall) => T): T => {
    if (broken) {
      live = instantiate(module, manifest); // the failed call may have left memory half-written
      broken = false;
    }
    const f = signature(fn);
    const name = aggregateExportName(f.name, phase);
    const entry = live.instance.exports[name];
    if (typeof entry !== 'function')
      throw new PluginError(`plugin "${manifest.name}" has no export "${name}"`);
    const memory = live.memory;
    const { reserve, put } = pluginArena(
      memory,
      manifest,
      `function "${name}"`,
      'use fewer groups or smaller batches',
    );
    const read = (at: number, bytes: number) => new Uint8Array(memory.buffer.slice(at, at + bytes));
    try {
      return body({ f, entry: entry as (...a: number[]) => number, reserve, put, read });
    } catch (err) {
      broken = true;
      throw classifyUdfFailure(err, manifest, memory, name);
    }
  };

  const groupsOf = (f: { name: string; stateBytes: number }, states: Uint8Array): number => {
    if (states.byteLength % f.stateBytes !== 0) {
      throw new PluginError(
        `${manifest.name}.${f.name}: ${states.byteLength} state bytes is not a whole number of ${f.stateBytes}-byte states`,
      );
    }
    return states.byteLength / f.stateBytes;
  };

  return {
    manifest,
    module,
    signature,
    init: (fn, groups) =>
      run(fn, 'init', ({ f, entry, reserve, read }) => {
        const at = reserve(groups * f.stateBytes);
        entry(at, groups);
        return read(at, groups * f.stateBytes);
      }),
    update: (fn, states, groupIds, args, rows) =>
      run(fn, 'update', ({ f, entry, put, read }) => {
        groupsOf(f, states);
        if (args.length !== f.args.length) {
          throw new PluginError(
            `${manifest.name}.${f.name} takes ${f.args.length} arguments, got ${args.length}`,
          );
        }
        const at = put(states);
        const ids = put(new Uint8Array(groupIds.buffer, groupIds.byteOffset, rows * 4));
        const params: number[] = [];
        args.forEach((col, i) => {
          if (col.type !== f.args[i]) {
            throw new PluginError(
              `${manifest.name}.${f.name} argument ${i} must be ${f.args[i]}, got ${col.type}`,
            );
          }
          if (col.type === 'utf8')
            params.push(put(bytesOf(col.offsets.subarray(0, rows + 1))), put(col.data));
          else params.push(put(bytesOf(col.values).subarray(0, columnBytes(col.type, rows))));
          params.push(col.validity ? put(col.validity.subarray(0, (rows + 7) >>> 3)) : 0);
        });
        entry(at, ids, ...params, rows);
        return read(at, states.byteLength);
      }),
    merge: (fn, states, other) =>
      run(fn, 'merge', ({ f, entry, put, read }) => {
        const groups = groupsOf(f, states);
        if (other.byteLength !== states.byteLength) {
          throw new PluginError(
            `${manifest.name}.${f.name}: merging ${other.byteLength} state bytes into ${states.byteLength}`,
          );
        }
        const at = put(states);
        entry(at, put(other), groups);
        return read(at, states.byteLength);
      }),
    finalize: (fn, states) =>
      run(fn, 'finalize', ({ f, entry, put, reserve, read }) => {
        const groups = groupsOf(f, states);
        const result = f.result;
        if (result === 'utf8') throw new PluginError(`${manifest.name}.${f.name} cannot return utf8`);
        const at = put(states);
        const outBytes = columnBytes(result, groups);
        const out = reserve(outBytes);
        const validity = reserve((groups + 7) >>> 3);
        const nullCount = entry(at, groups, out, validity);
        const values = read(out, outBytes).buffer;
        const typed =
          result === 'float64'
            ? new Float64Array(values)
            : result === 'int64'
              ? new BigInt64Array(values)
              : result === 'bool'
                ? new Uint8Array(values)
                : new Int32Array(values);
        return { type: result, values: typed, validity: read(validity, (groups + 7) >>> 3), nullCount };
      }),
  };
}

interface PhaseCall {
  f: PluginFunction & { stateBytes: number };
  entry: (...a: number[]) => number;
  reserve(bytes: number): number;
  put(bytes: Uint8Array): number;
  read(at: number, bytes: number): Uint8Array;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
