/**
 * A minimal in-thread host for scalar UDFs: creates the capped memory, instantiates a verified
 * module, copies argument columns into the arena and calls an export once per batch. It is the
 * reference the tests and `pushdown plugins bench` use; the engine's sandbox (worker threads,
 * time budgets, zero-copy pipelines) will call modules through the same ABI.
 */
import { PluginError, ResourceExhaustedError } from '@pushdown/proto';
import type { PluginDataType, PluginFunction, PluginManifest } from './manifest-types.js';
import { manifestFunctions, PLUGIN_ABI_VERSION } from './manifest-types.js';
import { columnBytes, PLUGIN_ARENA_BASE } from './udf-abi.js';

const PAGE = 65536;

/** An argument column in Arrow layout (buffers are copied into plugin memory per call). */
export type UdfColumn =
  | { type: 'utf8'; offsets: Int32Array; data: Uint8Array; validity?: Uint8Array }
  | { type: Exclude<PluginDataType, 'utf8'>; values: ArrayBufferView; validity?: Uint8Array };

/** A call's result: `values` views a copy of the result buffer, typed by the result type. */
export interface UdfResult {
  type: PluginDataType;
  values: Uint8Array | Int32Array | BigInt64Array | Float64Array;
  validity: Uint8Array;
  nullCount: number;
}

/** An instantiated scalar-UDF plugin with its own capped memory. */
export interface UdfInstance {
  readonly manifest: PluginManifest;
  readonly memory: WebAssembly.Memory;
  /** Calls `fn` on `rows` rows; const arguments are one-row columns. */
  call(fn: string, args: readonly UdfColumn[], rows: number): UdfResult;
}

/**
 * Instantiates `module` (already verified) with a memory capped at `manifest.limits.memoryPages`.
 *
 * @example
 * const { module, manifest } = await verifyPlugin('packages/plugins/build/hash64.wasm');
 * const udf = instantiateUdf(module, manifest);
 * udf.call('hash64_int64', [{ type: 'int64', values: new BigInt64Array([1n, 2n]) }], 2);
 */
export function instantiateUdf(module: WebAssembly.Module, manifest: PluginManifest): UdfInstance {
  if (manifest.kind !== 'scalar-udf') {
    throw new PluginError(`plugin "${manifest.name}" is of kind ${manifest.kind}, not scalar-udf`);
  }
  const minPages = Math.min(2, manifest.limits.memoryPages);
  const memory = new WebAssembly.Memory({ initial: minPages, maximum: manifest.limits.memoryPages });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const abi = instance.exports.ABI_VERSION;
  if (!(abi instanceof WebAssembly.Global) || abi.value !== PLUGIN_ABI_VERSION) {
    throw new PluginError(
      `plugin "${manifest.name}" refused: its ABI_VERSION is ${abi instanceof WebAssembly.Global ? abi.value : 'missing'}, host speaks ${PLUGIN_ABI_VERSION}`,
    );
  }
  const limits = manifest.limits.memoryPages;
  const functions = new Map(manifestFunctions(manifest).map((f) => [f.name, f]));
  return {
    manifest,
    memory,
    call(name, args, rows) {
      const fn = functions.get(name);
      const entry = instance.exports[name];
      if (!fn || typeof entry !== 'function') {
        throw new PluginError(`plugin "${manifest.name}" has no function "${name}"`);
      }
      return callUdf(manifest.name, memory, fn, entry as (...a: number[]) => number, args, rows, limits);
    },
  };
}

function callUdf(
  plugin: string,
  memory: WebAssembly.Memory,
  fn: PluginFunction,
  entry: (...a: number[]) => number,
  args: readonly UdfColumn[],
  rows: number,
  maxPages: number,
): UdfResult {
  if (args.length !== fn.args.length) {
    throw new PluginError(`${plugin}.${fn.name} takes ${fn.args.length} arguments, got ${args.length}`);
  }
  if (fn.result === 'utf8') throw new PluginError(`${plugin}.${fn.name}: utf8 results are not hosted yet`);
  let top = PLUGIN_ARENA_BASE;
  const reserve = (bytes: number): number => {
    const at = top;
    top = (top + bytes + 7) & ~7;
    const need = Math.ceil(top / PAGE) - memory.buffer.byteLength / PAGE;
    if (need > 0) {
      try {
        memory.grow(need);
      } catch (err) {
        throw new ResourceExhaustedError(
          `plugin "${plugin}" needs ${top} bytes of memory for ${rows} rows, above its cap of ` +
            `${maxPages} pages (limits.memoryPages)`,
          { cause: err, hint: 'call it on smaller batches' },
        );
      }
    }
    return at;
  };
  const put = (bytes: Uint8Array): number => {
    const at = reserve(bytes.byteLength);
    new Uint8Array(memory.buffer, at, bytes.byteLength).set(bytes);
    return at;
  };
  const params: number[] = [];
  args.forEach((col, i) => {
    if (col.type !== fn.args[i]) {
      throw new PluginError(`${plugin}.${fn.name} argument ${i} must be ${fn.args[i]}, got ${col.type}`);
    }
    const n = fn.constArgs?.includes(i) ? 1 : rows;
    if (col.type === 'utf8') {
      params.push(put(bytesOf(col.offsets.subarray(0, n + 1))), put(col.data));
    } else {
      params.push(put(bytesOf(col.values).subarray(0, columnBytes(col.type, n))));
    }
    params.push(col.validity ? put(col.validity.subarray(0, (n + 7) >>> 3)) : 0);
  });
  const outBytes = columnBytes(fn.result, rows);
  const out = reserve(outBytes);
  const outValidity = reserve((rows + 7) >>> 3);
  const nullCount = entry(...params, rows, out, outValidity);
  const values = memory.buffer.slice(out, out + outBytes);
  const validity = new Uint8Array(memory.buffer.slice(outValidity, outValidity + ((rows + 7) >>> 3)));
  const typed =
    fn.result === 'float64'
      ? new Float64Array(values)
      : fn.result === 'int64'
        ? new BigInt64Array(values)
        : fn.result === 'bool'
          ? new Uint8Array(values)
          : new Int32Array(values);
  return { type: fn.result, values: typed, validity, nullCount };
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
