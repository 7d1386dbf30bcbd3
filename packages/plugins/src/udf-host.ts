/**
 * A minimal in-thread host for scalar UDFs: creates the capped memory, instantiates a verified
 * module, copies argument columns into the arena and calls an export once per batch. The engine
 * calls it inside its scan workers (under the watchdog's time budget), the sandbox inside its
 * own workers, and the tests and `pushdown plugins bench` directly.
 *
 * Failures are classified here, where the plugin's memory can still be inspected, so every host
 * reports them alike: a memory bomb or a stack overflow is RESOURCE_EXHAUSTED, another trap a
 * PluginError (INVALID_ARGUMENT), each naming the plugin, the function and what it exceeded.
 * After any failure the instance starts afresh (new memory) at its next call.
 */
import { PluginError, PushdownError, ResourceExhaustedError } from '@pushdown/proto';
import type { PluginDataType, PluginFunction, PluginManifest } from './manifest-types.js';
import { manifestFunctions, PLUGIN_ABI_VERSION } from './manifest-types.js';
import { columnBytes, PLUGIN_ARENA_BASE } from './udf-abi.js';

const PAGE = 65536;

/** An argument column in Arrow layout (buffers are copied into plugin memory per call). */
export type UdfColumn =
  | { type: 'utf8'; offsets: Int32Array; data: Uint8Array; validity?: Uint8Array }
  | { type: Exclude<PluginDataType, 'utf8'>; values: ArrayBufferView; validity?: Uint8Array };

/**
 * A call's result, copied out of plugin memory. `values` is typed by the result type; for utf8
 * it holds the rows + 1 int32 offsets (starting at 0) and `data` the string bytes.
 */
export interface UdfResult {
  type: PluginDataType;
  values: Uint8Array | Int32Array | BigInt64Array | Float64Array;
  data?: Uint8Array;
  validity: Uint8Array;
  nullCount: number;
}

/** An instantiated scalar-UDF plugin with its own capped memory. */
export interface UdfInstance {
  readonly manifest: PluginManifest;
  /** The current memory (a new one after a failed call). */
  readonly memory: WebAssembly.Memory;
  /** Calls `fn` on `rows` rows; const arguments are one-row columns. */
  call(fn: string, args: readonly UdfColumn[], rows: number): UdfResult;
}

export interface UdfHostOptions {
  /** Largest result (values, utf8 data and validity bytes) one call may produce (default 64 MiB). */
  readonly maxOutputBytes?: number;
}

export const DEFAULT_UDF_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * Instantiates `module` (already verified) with a memory capped at `manifest.limits.memoryPages`.
 *
 * @example
 * const { module, manifest } = await verifyPlugin('packages/plugins/build/hash64.wasm');
 * const udf = instantiateUdf(module, manifest);
 * udf.call('hash64_int64', [{ type: 'int64', values: new BigInt64Array([1n, 2n]) }], 2);
 */
export function instantiateUdf(
  module: WebAssembly.Module,
  manifest: PluginManifest,
  options: UdfHostOptions = {},
): UdfInstance {
  if (manifest.kind !== 'scalar-udf') {
    throw new PluginError(`plugin "${manifest.name}" is of kind ${manifest.kind}, not scalar-udf`);
  }
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_UDF_MAX_OUTPUT_BYTES;
  const functions = new Map(manifestFunctions(manifest).map((f) => [f.name, f]));
  let state = instantiate(module, manifest);
  let broken = false;
  return {
    manifest,
    get memory() {
      return state.memory;
    },
    call(name, args, rows) {
      if (broken) {
        // The failed call may have left its memory half-written or grown to the cap.
        state = instantiate(module, manifest);
        broken = false;
      }
      const fn = functions.get(name);
      const entry = state.instance.exports[name];
      if (!fn || typeof entry !== 'function') {
        throw new PluginError(`plugin "${manifest.name}" has no function "${name}"`);
      }
      const host: CallHost = { manifest, memory: state.memory, fn, maxOutputBytes, rows };
      try {
        return callUdf(host, entry as (...a: number[]) => number, args);
      } catch (err) {
        broken = true;
        throw classifyUdfFailure(err, manifest, state.memory, name);
      }
    },
  };
}

/** A fresh capped memory and instance of `module`, its ABI_VERSION checked (aggregate hosts too). */
export function instantiate(module: WebAssembly.Module, manifest: PluginManifest) {
  const minPages = Math.min(2, manifest.limits.memoryPages);
  const memory = new WebAssembly.Memory({ initial: minPages, maximum: manifest.limits.memoryPages });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const abi = instance.exports.ABI_VERSION;
  if (!(abi instanceof WebAssembly.Global) || abi.value !== PLUGIN_ABI_VERSION) {
    throw new PluginError(
      `plugin "${manifest.name}" refused: its ABI_VERSION is ${abi instanceof WebAssembly.Global ? abi.value : 'missing'}, host speaks ${PLUGIN_ABI_VERSION}`,
    );
  }
  return { memory, instance };
}

/**
 * What a failed call exceeded: a trap taken with the memory at its cap (memory.grow failed, then
 * the module gave up) is the memory bomb it is; V8's RangeError on a deep wasm stack is a stack
 * overflow; any other trap is the plugin's own fault. Errors of the family pass through.
 */
export function classifyUdfFailure(
  err: unknown,
  manifest: PluginManifest,
  memory: WebAssembly.Memory,
  fn: string,
): PushdownError {
  if (err instanceof PushdownError) return err;
  const name = manifest.name;
  const message = err instanceof Error ? err.message : String(err);
  const cap = manifest.limits.memoryPages;
  if (memory.buffer.byteLength / PAGE >= cap) {
    return new ResourceExhaustedError(
      `plugin "${name}" function "${fn}" exhausted its memory cap of ${cap} pages ` +
        `(limits.memoryPages) and trapped: ${message}`,
      { cause: err },
    );
  }
  if (err instanceof RangeError && /call stack/i.test(message)) {
    return new ResourceExhaustedError(
      `plugin "${name}" function "${fn}" exhausted the stack (too deep a recursion) and trapped: ${message}`,
      { cause: err },
    );
  }
  return new PluginError(`plugin "${name}" function "${fn}" trapped: ${message}`, { cause: err });
}

interface CallHost {
  manifest: PluginManifest;
  memory: WebAssembly.Memory;
  fn: PluginFunction;
  maxOutputBytes: number;
  rows: number;
}

/** A bump allocator over a plugin's arena (PLUGIN_ARENA_BASE up), for one call's buffers. */
export interface PluginArena {
  /** `bytes` (8-byte aligned) for the call, growing memory up to the cap. */
  reserve(bytes: number): number;
  /** Reserves room for `bytes` and copies them in. */
  put(bytes: Uint8Array): number;
  /** Back to an earlier `reserve` result (a retry reuses the room). */
  rewind(to: number): void;
}

/**
 * The arena of one call into `manifest`'s plugin. Growing past `limits.memoryPages` is a
 * ResourceExhaustedError naming the plugin, `what` needs the memory, and the cap.
 *
 * @example
 * const { put, reserve } = pluginArena(memory, manifest, `function "f" for ${rows} rows`, 'call it on smaller batches');
 */
export function pluginArena(
  memory: WebAssembly.Memory,
  manifest: PluginManifest,
  what: string,
  hint: string,
): PluginArena {
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
          `plugin "${manifest.name}" ${what} needs ${top} bytes of memory, above its cap of ` +
            `${manifest.limits.memoryPages} pages (limits.memoryPages)`,
          { cause: err, hint },
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
  return { reserve, put, rewind: (to) => void (top = to) };
}

function callUdf(host: CallHost, entry: (...a: number[]) => number, args: readonly UdfColumn[]): UdfResult {
  const { manifest, memory, fn, rows } = host;
  const plugin = manifest.name;
  if (args.length !== fn.args.length) {
    throw new PluginError(`${plugin}.${fn.name} takes ${fn.args.length} arguments, got ${args.length}`);
  }
  const { reserve, put, rewind } = pluginArena(
    host.memory,
    host.manifest,
    `function "${host.fn.name}" for ${host.rows} rows`,
    'call it on smaller batches',
  );
  const params: number[] = [];
  let inputText = 0;
  args.forEach((col, i) => {
    if (col.type !== fn.args[i]) {
      throw new PluginError(`${plugin}.${fn.name} argument ${i} must be ${fn.args[i]}, got ${col.type}`);
    }
    const n = fn.constArgs?.includes(i) ? 1 : rows;
    if (col.type === 'utf8') {
      params.push(put(bytesOf(col.offsets.subarray(0, n + 1))), put(col.data));
      if (n === rows) inputText += col.data.byteLength;
    } else {
      params.push(put(bytesOf(col.values).subarray(0, columnBytes(col.type, n))));
    }
    params.push(col.validity ? put(col.validity.subarray(0, (n + 7) >>> 3)) : 0);
  });
  const validityBytes = (rows + 7) >>> 3;
  if (fn.result === 'utf8') return callUtf8(host, entry, params, { reserve, rewind }, inputText);
  const outBytes = columnBytes(fn.result, rows);
  checkOutput(host, outBytes + validityBytes);
  const out = reserve(outBytes);
  const outValidity = reserve(validityBytes);
  const nullCount = entry(...params, rows, out, outValidity);
  const values = memory.buffer.slice(out, out + outBytes);
  const validity = new Uint8Array(memory.buffer.slice(outValidity, outValidity + validityBytes));
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

/**
 * A utf8 result: (offsets, data, dataCapacity, validity). The first guess of capacity is the
 * input text's size (most string functions keep or shrink it); a negative return asks for that
 * many data bytes, and the call is made once more with exactly that room.
 */
function callUtf8(
  host: CallHost,
  entry: (...a: number[]) => number,
  params: readonly number[],
  { reserve, rewind }: Pick<PluginArena, 'reserve' | 'rewind'>,
  inputText: number,
): UdfResult {
  const { memory, fn, rows, manifest } = host;
  const validityBytes = (rows + 7) >>> 3;
  const offsets = reserve(4 * (rows + 1));
  const outValidity = reserve(validityBytes);
  const dataAt = reserve(0);
  let capacity = Math.max(64, inputText, rows * 8);
  for (let attempt = 0; ; attempt++) {
    checkOutput(host, 4 * (rows + 1) + validityBytes + capacity);
    rewind(dataAt);
    reserve(capacity);
    const r = entry(...params, rows, offsets, dataAt, capacity, outValidity);
    if (r >= 0) {
      const offs = new Int32Array(memory.buffer.slice(offsets, offsets + 4 * (rows + 1)));
      const end = checkOffsets(manifest.name, fn.name, offs, capacity);
      return {
        type: 'utf8',
        values: offs,
        data: new Uint8Array(memory.buffer.slice(dataAt, dataAt + end)),
        validity: new Uint8Array(memory.buffer.slice(outValidity, outValidity + validityBytes)),
        nullCount: r,
      };
    }
    if (attempt > 0 || -r <= capacity) {
      throw new PluginError(
        `plugin "${manifest.name}" function "${fn.name}" asked for ${-r} bytes of result data ` +
          `after being given ${capacity}; a utf8 result asks once, for more than it was given`,
      );
    }
    capacity = -r;
  }
}

/** Offsets must start at 0, never decrease and stay within the data written. */
function checkOffsets(plugin: string, fn: string, offs: Int32Array, capacity: number): number {
  let prev = 0;
  for (let i = 0; i < offs.length; i++) {
    const o = offs[i]!;
    if ((i === 0 && o !== 0) || o < prev || o > capacity) {
      throw new PluginError(
        `plugin "${plugin}" function "${fn}" wrote invalid utf8 offsets (offset ${i} is ${o}; ` +
          `offsets must start at 0, not decrease and stay within ${capacity} bytes)`,
      );
    }
    prev = o;
  }
  return prev;
}

function checkOutput(host: CallHost, bytes: number): void {
  if (bytes <= host.maxOutputBytes) return;
  throw new ResourceExhaustedError(
    `plugin "${host.manifest.name}" function "${host.fn.name}" output of ${bytes} bytes for ` +
      `${host.rows} rows is above the maxOutputBytes of ${host.maxOutputBytes}`,
    { hint: 'call it on smaller batches' },
  );
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
