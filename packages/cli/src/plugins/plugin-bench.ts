/**
 * `pushdown plugins bench`: per-call overhead and per-row cost of a scalar-UDF plugin against
 * its plain-TypeScript equivalent, over growing batch sizes. The WASM side includes copying the
 * batch into plugin memory and the result out, as a host without zero-copy would; both sides
 * get the same random batch, and the results are compared before anything is timed.
 */
import {
  instantiateUdf,
  manifestFunctions,
  REFERENCE_UDFS,
  verifyPlugin,
  type PluginDataType,
  type PluginFunction,
  type UdfColumn,
  type UdfResult,
} from '@pushdown/plugins';
import { InvalidArgumentError, PluginError } from '@pushdown/proto';

export interface PluginBenchOptions {
  /** Batch sizes in rows. */
  sizes: number[];
  /** Time spent per (function, size, implementation) cell, in ms. */
  minTimeMs: number;
  /** Only this function. */
  fn?: string;
}

export const PLUGIN_BENCH_DEFAULTS: PluginBenchOptions = {
  sizes: [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000],
  minTimeMs: 100,
};

export interface PluginBenchRow {
  fn: string;
  rows: number;
  wasmCallUs: number;
  tsCallUs: number;
}

/** Runs the bench for the plugin at `path` (verified first); calls `onRow` as each row is measured. */
export async function runPluginBench(
  path: string,
  options: PluginBenchOptions,
  onRow: (row: PluginBenchRow) => void = () => {},
): Promise<PluginBenchRow[]> {
  const { module, manifest } = await verifyPlugin(path);
  if (manifest.kind !== 'scalar-udf') {
    throw new InvalidArgumentError(
      `bench measures scalar UDFs; "${manifest.name}" is of kind ${manifest.kind}`,
    );
  }
  const udf = instantiateUdf(module, manifest);
  const fns = manifestFunctions(manifest).filter((f) => !options.fn || f.name === options.fn);
  if (fns.length === 0)
    throw new InvalidArgumentError(`plugin "${manifest.name}" has no function "${options.fn}"`);
  const out: PluginBenchRow[] = [];
  for (const fn of fns) {
    const reference = REFERENCE_UDFS[`${manifest.name}.${fn.name}`];
    if (!reference) {
      throw new InvalidArgumentError(
        `no TypeScript equivalent of ${manifest.name}.${fn.name} to compare with`,
        {
          hint: 'bench knows the example plugins (hash64, geo, text_match)',
        },
      );
    }
    for (const rows of options.sizes) {
      // A constant is never null: a null constant would make the whole batch trivially null.
      const args = fn.args.map((t, i) => {
        const { validity: _v, ...constant } = randomColumn(t, 1, i);
        return fn.constArgs?.includes(i) ? (constant as UdfColumn) : randomColumn(t, rows, rows + i);
      });
      const wasmOnce = () => udf.call(fn.name, args, rows);
      const tsOnce = () => reference(args, rows);
      checkSame(`${manifest.name}.${fn.name}`, rows, wasmOnce(), tsOnce());
      const row = {
        fn: fn.name,
        rows,
        wasmCallUs: timePerCall(wasmOnce, options.minTimeMs),
        tsCallUs: timePerCall(tsOnce, options.minTimeMs),
      };
      out.push(row);
      onRow(row);
    }
  }
  return out;
}

/** Mean µs per call, repeating until `minTimeMs` has passed (after one warm-up call). */
function timePerCall(call: () => unknown, minTimeMs: number): number {
  call();
  let calls = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(minTimeMs * 1e6));
  let now = start;
  do {
    call();
    calls++;
    now = process.hrtime.bigint();
  } while (now < deadline);
  return Number(now - start) / 1e3 / calls;
}

function checkSame(what: string, rows: number, a: UdfResult, b: UdfResult): void {
  const same =
    a.nullCount === b.nullCount &&
    Buffer.compare(Buffer.from(a.validity), Buffer.from(b.validity)) === 0 &&
    (a.type === 'float64'
      ? a.values.every(
          (v, i) =>
            Math.abs((v as number) - (b.values[i] as number)) <= 1e-9 * Math.max(1, Math.abs(v as number)),
        )
      : Buffer.compare(bytes(a.values), bytes(b.values)) === 0);
  if (!same) throw new PluginError(`${what} disagrees with its TypeScript equivalent on ${rows} rows`);
}

function bytes(v: ArrayBufferView): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

const WORDS = ['foo', 'Bar', 'special', 'requests', 'quickly', 'ünï', 'deposits', 'carefully'];

/** A seeded batch of `rows` values of `type`, about 1 in 16 null. */
function randomColumn(type: PluginDataType, rows: number, seed: number): UdfColumn {
  let s = seed * 2654435761;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const validity = new Uint8Array((rows + 7) >>> 3).map(() => 0xff);
  for (let i = 0; i < rows; i++) if (rand() < 1 / 16) validity[i >>> 3]! &= ~(1 << (i & 7));
  if (type === 'utf8') {
    const enc = new TextEncoder();
    const parts = Array.from({ length: rows }, () =>
      enc.encode(`${WORDS[Math.floor(rand() * WORDS.length)]} ${WORDS[Math.floor(rand() * WORDS.length)]}`),
    );
    const offsets = new Int32Array(rows + 1);
    parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
    const data = new Uint8Array(offsets[rows]!);
    parts.forEach((p, i) => data.set(p, offsets[i]!));
    return { type, offsets, data, validity };
  }
  if (type === 'float64')
    return { type, values: new Float64Array(rows).map(() => rand() * 180 - 90), validity };
  if (type === 'int64') {
    return {
      type,
      values: new BigInt64Array(rows).map(() => BigInt(Math.floor(rand() * 2 ** 52))),
      validity,
    };
  }
  if (type === 'bool')
    return { type, values: new Uint8Array((rows + 7) >>> 3).map(() => rand() * 256), validity };
  return { type, values: new Int32Array(rows).map(() => Math.floor(rand() * 2 ** 31)), validity };
}

/** `fn(utf8, utf8 const) -> bool`, the signature line `info` and `bench` print. */
export function functionSignature(fn: PluginFunction): string {
  const args = fn.args.map((t, i) => (fn.constArgs?.includes(i) ? `${t} const` : t));
  return `${fn.name}(${args.join(', ')}) -> ${fn.result}`;
}
