/**
 * Evaluates a scalar-UDF `call` over one batch slice: the argument columns are read straight
 * from operator memory into Arrow layout (bitmaps packed, utf8 offsets rebased), the plugin is
 * called once for the whole slice, and its result is written back into operator memory as a
 * column the other kernels consume. Never row by row across the boundary.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import {
  libraryPlugins,
  manifestFunctions,
  udfInstance,
  type PluginFunction,
  type UdfColumn,
  type UdfResult,
} from '@pushdown/plugins';
import type { Call } from '../plan/expr.js';
import type { DataType } from '../plan/types.js';
import { deadlineLabel, withDeadline } from '../parallel/watchdog-guard.js';
import { konst, vec, type WasmValues, type WConst, type WVal, type WVec } from './wasm-values.js';

const encoder = new TextEncoder();

/** The plugin function `call` names, with its manifest's types and constArgs. */
export function udfSignature(call: Call): PluginFunction {
  const fn = manifestFunctions(udfInstance(call.plugin).manifest).find(
    (f) => f.name.toLowerCase() === call.name.toLowerCase(),
  );
  if (!fn) {
    throw new InvalidArgumentError(`plugin "${call.plugin}" has no function "${call.name}" on this node`);
  }
  return fn;
}

/** Calls the UDF on `args` (already coerced to the signature's types); `n` rows. */
export function evalUdfCall(vals: WasmValues, call: Call, fn: PluginFunction, args: readonly WVal[]): WVal {
  const n = vals.n;
  if (n === 0) return konst(call.type, null);
  const constArgs = fn.constArgs ?? [];
  // Broadcasting allocates operator memory (which may move it), so do it before taking views.
  const inputs = args.map((a, i) => (constArgs.includes(i) ? a : vals.materialize(a)));
  const columns = inputs.map((a, i): UdfColumn => {
    if (a.kind === 'const') {
      if (!constArgs.includes(i)) throw new InvalidArgumentError(`internal: argument ${i} of ${call.name}`);
      return constColumn(a);
    }
    return vecColumn(vals, a, n);
  });
  for (const c of columns) vals.copied += columnSize(c);
  const udf = udfInstance(call.plugin);
  // In a scan worker the watchdog stops a call that overruns the plugin's budget; run-fragment
  // sends every fragment that calls a plugin to the pool, so this guard is always in force.
  const label = deadlineLabel(
    `plugin "${call.plugin}" function "${fn.name}"`,
    `raise limits.timeBudgetMs of "${call.plugin}" or call it on smaller batches`,
  );
  const result = withDeadline(label, udf.manifest.limits.timeBudgetMs, () => udf.call(fn.name, columns, n));
  if (result.type === 'utf8') return writeUtf8(vals, result, n);
  return writeResult(vals, result.type, result.values, result.validity, result.nullCount, n);
}

/** A utf8 result in the engine's layout: int32 offsets (from 0) and the bytes they index. */
function writeUtf8(vals: WasmValues, result: UdfResult, n: number): WVec {
  const offsets = result.values as Int32Array;
  const data = result.data ?? new Uint8Array(0);
  const offs = vals.alloc(4 * (n + 1));
  const dataPtr = vals.alloc(data.byteLength);
  const validity = result.nullCount === 0 ? 0 : vals.alloc(n);
  const mem = vals.mem; // views taken after the last alloc (an alloc may grow the memory)
  mem.i32.set(offsets.subarray(0, n + 1), offs >> 2);
  mem.u8.set(data, dataPtr);
  if (validity !== 0) {
    const bits = result.validity;
    for (let i = 0; i < n; i++) mem.u8[validity + i] = (bits[i >>> 3]! >>> (i & 7)) & 1 ? 0xff : 0;
  }
  vals.copied += 4 * (n + 1) + data.byteLength + result.validity.byteLength;
  return vec('utf8', offs, validity, dataPtr);
}

function columnSize(c: UdfColumn): number {
  const validity = c.validity?.byteLength ?? 0;
  return validity + (c.type === 'utf8' ? c.offsets.byteLength + c.data.byteLength : c.values.byteLength);
}

function packMask(u8: Uint8Array, at: number, n: number): Uint8Array {
  const bits = new Uint8Array((n + 7) >>> 3);
  for (let i = 0; i < n; i++) if (u8[at + i] !== 0) bits[i >>> 3]! |= 1 << (i & 7);
  return bits;
}

/** A column of operator memory in the plugin ABI's Arrow layout (aggregate UDFs use it too). */
export function vecColumn(vals: WasmValues, v: WVec, n: number): UdfColumn {
  const { u8, i32 } = vals.mem;
  const validity = v.validity === 0 ? undefined : packMask(u8, v.validity, n);
  const withValidity = <T extends object>(c: T): T => (validity ? { ...c, validity } : c);
  switch (v.type) {
    case 'utf8': {
      const raw = i32.subarray(v.values >> 2, (v.values >> 2) + n + 1);
      const o0 = raw[0]!;
      const offsets = o0 === 0 ? raw : raw.map((o) => o - o0);
      const data = u8.subarray(v.data + o0, v.data + raw[n]!);
      return withValidity({ type: 'utf8' as const, offsets, data });
    }
    case 'bool':
      return withValidity({ type: 'bool' as const, values: packMask(u8, v.values, n) });
    default: {
      const width = v.type === 'float64' || v.type === 'int64' ? 8 : 4;
      return withValidity({ type: v.type, values: u8.subarray(v.values, v.values + width * n) });
    }
  }
}

/** A literal as the one-row column the ABI passes for constArgs. */
function constColumn(c: WConst): UdfColumn {
  const validity = c.value === null ? { validity: new Uint8Array(1) } : {};
  switch (c.type) {
    case 'utf8': {
      const data = encoder.encode(c.value === null ? '' : String(c.value));
      return { type: 'utf8', offsets: Int32Array.of(0, data.length), data, ...validity };
    }
    case 'bool':
      return { type: 'bool', values: Uint8Array.of(c.value === true ? 1 : 0), ...validity };
    case 'float64':
      return { type: 'float64', values: Float64Array.of(Number(c.value ?? 0)), ...validity };
    case 'int64':
      return { type: 'int64', values: BigInt64Array.of(BigInt((c.value ?? 0) as bigint)), ...validity };
    default:
      return { type: c.type, values: Int32Array.of(Number(c.value ?? 0)), ...validity };
  }
}

function writeResult(
  vals: WasmValues,
  type: DataType,
  values: ArrayBufferView,
  validityBits: Uint8Array,
  nullCount: number,
  n: number,
): WVec {
  const unpack = (bits: Uint8Array): number => {
    const p = vals.alloc(n);
    const u8 = vals.mem.u8;
    for (let i = 0; i < n; i++) u8[p + i] = (bits[i >>> 3]! >>> (i & 7)) & 1 ? 0xff : 0;
    return p;
  };
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  vals.copied += bytes.byteLength + validityBits.byteLength;
  const validity = nullCount === 0 ? 0 : unpack(validityBits);
  if (type === 'bool') return vec('bool', unpack(bytes), validity);
  const p = vals.alloc(bytes.byteLength);
  vals.mem.u8.set(bytes, p);
  return vec(type, p, validity);
}

/** A plugin as `Capabilities.plugins` lists it. */
export interface PluginSummary {
  name: string;
  version: string;
  kind: string;
  sha256: string;
}

/**
 * The plugins this process can load: shipped ones and those in its configured plugin folders
 * (`configurePluginDirs`), built-in operators excluded.
 */
export function registryPlugins(): PluginSummary[] {
  return libraryPlugins().map(({ manifest: { name, version, kind, sha256 } }) => ({
    name,
    version,
    kind,
    sha256,
  }));
}
