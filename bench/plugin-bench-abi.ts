/**
 * A plugin call taken apart into its three phases, so each can be timed on its own: copy the
 * argument batch into plugin memory, run the export, copy the result out. It lays buffers out
 * exactly as the in-thread host does (udf-host.ts, ABI in udf-abi.ts: 8-byte aligned from
 * PLUGIN_ARENA_BASE, constants as one-row columns) and makes the same copies (typed-array set in,
 * ArrayBuffer.slice out), but on its own instance, because the host offers only the fused call.
 * Timing the phases in separate loops keeps the clock out of sub-microsecond calls.
 */
import {
  columnBytes,
  manifestFunctions,
  PLUGIN_ARENA_BASE,
  type PluginManifest,
  type UdfColumn,
  type UdfResult,
} from '@pushdown/plugins';

const PAGE = 65536;

export interface PhasedCall {
  /** Bytes moved per call: arguments in, result (values and validity) out. */
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Writes every argument buffer into plugin memory. */
  copyIn(): void;
  /** Runs the export over the resident arguments; returns the null count. */
  compute(): number;
  /** Copies the result out of plugin memory, as the host hands it to the engine. */
  copyOut(): UdfResult;
}

/** Instantiates `module` on a memory capped like the host's and lays out `args` for `rows` rows. */
export function phasedCall(
  module: WebAssembly.Module,
  manifest: PluginManifest,
  fnName: string,
  args: readonly UdfColumn[],
  rows: number,
): PhasedCall {
  const fn = manifestFunctions(manifest).find((f) => f.name === fnName);
  if (!fn || fn.result === 'utf8')
    throw new Error(`${manifest.name}.${fnName}: not a fixed-width scalar UDF`);
  const result = fn.result;
  const memory = new WebAssembly.Memory({ initial: 2, maximum: manifest.limits.memoryPages });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const entry = instance.exports[fnName] as (...a: number[]) => number;

  let top = PLUGIN_ARENA_BASE;
  const reserve = (bytes: number) => {
    const at = top;
    top = (top + bytes + 7) & ~7;
    return at;
  };
  // Each source buffer with the address it goes to; validity pointer 0 means "no nulls".
  const copies: { at: number; bytes: Uint8Array }[] = [];
  const params: number[] = [];
  const place = (bytes: Uint8Array) => {
    const at = reserve(bytes.byteLength);
    copies.push({ at, bytes });
    return at;
  };
  args.forEach((col, i) => {
    const n = fn.constArgs?.includes(i) ? 1 : rows;
    if (col.type === 'utf8') params.push(place(bytesOf(col.offsets.subarray(0, n + 1))), place(col.data));
    else params.push(place(bytesOf(col.values).subarray(0, columnBytes(col.type, n))));
    params.push(col.validity ? place(col.validity.subarray(0, (n + 7) >>> 3)) : 0);
  });
  const outBytes = columnBytes(result, rows);
  const validityBytes = (rows + 7) >>> 3;
  const out = reserve(outBytes);
  const outValidity = reserve(validityBytes);
  const need = Math.ceil(top / PAGE) - memory.buffer.byteLength / PAGE;
  // Grown once here, not per call: the host grows only when a batch outgrows the last one.
  if (need > 0) memory.grow(need);
  const callArgs = [...params, rows, out, outValidity];

  return {
    bytesIn: copies.reduce((s, c) => s + c.bytes.byteLength, 0),
    bytesOut: outBytes + validityBytes,
    copyIn() {
      for (const c of copies) new Uint8Array(memory.buffer, c.at, c.bytes.byteLength).set(c.bytes);
    },
    compute: () => entry(...callArgs),
    copyOut() {
      const values = memory.buffer.slice(out, out + outBytes);
      const validity = new Uint8Array(memory.buffer.slice(outValidity, outValidity + validityBytes));
      const typed =
        result === 'float64'
          ? new Float64Array(values)
          : result === 'int64'
            ? new BigInt64Array(values)
            : result === 'bool'
              ? new Uint8Array(values)
              : new Int32Array(values);
      return { type: result, values: typed, validity, nullCount: 0 };
    },
  };
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Throws unless two results agree value for value (floats within 1e-9 relative). */
export function assertSameResult(what: string, a: UdfResult, b: UdfResult, rows: number): void {
  const bits = (r: UdfResult, i: number) => (r.validity[i >>> 3]! >>> (i & 7)) & 1;
  for (let i = 0; i < rows; i++) {
    if (bits(a, i) !== bits(b, i)) throw new Error(`${what}: row ${i} is null in one result only`);
  }
  if (a.type === 'bool') {
    const len = (rows + 7) >>> 3;
    for (let i = 0; i < len; i++)
      if (a.values[i] !== b.values[i]) throw new Error(`${what}: bool byte ${i} differs`);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const x = a.values[i]!;
    const y = b.values[i]!;
    const same =
      typeof x === 'number' && typeof y === 'number'
        ? Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x))
        : x === y;
    if (!same) throw new Error(`${what}: row ${i} is ${x} in one result and ${y} in the other`);
  }
}
