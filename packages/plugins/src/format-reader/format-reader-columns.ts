/**
 * Copying a batch's columns out of plugin memory. The module reuses its buffers for the next
 * batch, so each column is copied once into buffers the caller owns (the same UdfColumn shape
 * the UDF host takes). Descriptors are checked against the memory's bounds first: a module that
 * points outside its memory, or gives a row count other than the batch's, is refused rather than
 * read past.
 */
import { PluginError } from '@pushdown/proto';
import type { UdfColumn } from '../udf-host.js';
import { columnBytes } from '../udf-abi.js';
import { readDescriptor } from './format-reader-abi.js';

/** Column `ptr` describes, copied; its null count beside it (UdfColumn has no field for it). */
export function copyColumn(
  memory: WebAssembly.Memory,
  ptr: number,
  rows: number,
  plugin: string,
): { column: UdfColumn; nullCount: number } {
  const size = memory.buffer.byteLength;
  if (ptr < 0 || ptr + 32 > size) throw bad(plugin, `column descriptor at ${ptr} is outside its memory`);
  const d = readDescriptor(memory, ptr);
  if (d.rows !== rows) throw bad(plugin, `a ${d.type} column has ${d.rows} rows in a batch of ${rows}`);
  const copy = (at: number, bytes: number, what: string): ArrayBuffer => {
    if (at <= 0 || bytes < 0 || at + bytes > size) {
      throw bad(plugin, `${what} buffer [${at}, ${at + bytes}) of a ${d.type} column is outside its memory`);
    }
    return memory.buffer.slice(at, at + bytes);
  };
  if (d.nullCount < 0 || d.nullCount > rows) throw bad(plugin, `null count ${d.nullCount} of ${rows} rows`);
  const validity =
    d.nullCount > 0 ? new Uint8Array(copy(d.validity, (rows + 7) >>> 3, 'validity')) : undefined;
  const withValidity = validity ? { validity } : {};
  if (d.type === 'utf8') {
    const offsets = new Int32Array(copy(d.offsets, (rows + 1) * 4, 'offsets'));
    const dataBytes = offsets[rows]! - offsets[0]!;
    if (offsets[0] !== 0 || dataBytes !== d.dataBytes) {
      throw bad(plugin, `utf8 offsets end at ${offsets[rows]}, but the data has ${d.dataBytes} bytes`);
    }
    const data = d.dataBytes > 0 ? new Uint8Array(copy(d.data, d.dataBytes, 'data')) : new Uint8Array(0);
    return { column: { type: 'utf8', offsets, data, ...withValidity }, nullCount: d.nullCount };
  }
  const values = copy(d.values, columnBytes(d.type, rows), 'values');
  const typed =
    d.type === 'int64'
      ? new BigInt64Array(values)
      : d.type === 'float64'
        ? new Float64Array(values)
        : d.type === 'bool'
          ? new Uint8Array(values)
          : new Int32Array(values);
  return { column: { type: d.type, values: typed, ...withValidity }, nullCount: d.nullCount };
}

function bad(plugin: string, why: string): PluginError {
  return new PluginError(`format reader "${plugin}" broke the ABI: ${why}`);
}
