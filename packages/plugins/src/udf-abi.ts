/**
 * The scalar-UDF calling convention (ABI version 1), shared by plugin authors and hosts.
 *
 * A scalar UDF is called once per batch, never per row. The module imports its memory
 * (`env.memory`); the host writes the argument columns into it in Arrow layout and passes
 * pointers, all `i32`:
 *
 *   for each argument:  utf8 → (offsets, data, validity)      other types → (values, validity)
 *   then:               rows
 *   then the result:    utf8 → (offsets, data, dataCapacity, validity)   other → (values, validity)
 *
 * and the function returns (`i32`) the result's null count; a utf8 result returns minus the data
 * bytes it needs when `dataCapacity` is too small, and the host calls again with more room.
 * A validity pointer of 0 means "no nulls"; a result validity is always written. Bitmaps (validity
 * and bool values) are Arrow's: bit i in byte i>>3, least significant bit first. int32 and date32
 * take 4 bytes per row, int64 and float64 8 (little-endian), utf8 offsets are int32 (rows + 1).
 * An argument listed in the manifest's `constArgs` is a one-row column: a literal the host
 * does not broadcast. Pointers the host passes are 8-byte aligned and at or above ARENA_BASE;
 * the module's own static data must end below it.
 */
import type { PluginDataType, PluginFunction } from './manifest-types.js';

/** First byte of the host's buffers in a plugin's memory; static data stays below. */
export const PLUGIN_ARENA_BASE = 64 * 1024;

/** Bytes per row of a fixed-width type (bool is bit-packed: see `columnBytes`). */
export const TYPE_WIDTH: Record<Exclude<PluginDataType, 'utf8' | 'bool'>, number> = {
  int32: 4,
  date32: 4,
  int64: 8,
  float64: 8,
};

/** How many i32 pointer parameters a column of `type` takes as an argument. */
function argParams(type: PluginDataType): number {
  return type === 'utf8' ? 3 : 2;
}

/** The WebAssembly signature the ABI gives `fn`: all parameters i32, one i32 result. */
export function scalarUdfSignature(fn: PluginFunction): { params: string[]; results: string[] } {
  const count = fn.args.reduce((n, t) => n + argParams(t), 0) + 1 + (fn.result === 'utf8' ? 4 : 2);
  return { params: Array<string>(count).fill('i32'), results: ['i32'] };
}

/** Bytes of the values buffer of `rows` rows of a non-utf8 `type`. */
export function columnBytes(type: Exclude<PluginDataType, 'utf8'>, rows: number): number {
  return type === 'bool' ? (rows + 7) >>> 3 : TYPE_WIDTH[type] * rows;
}
