/**
 * The data side of `npm run bench:shared` (shared-memory-bench.ts): decoded lineitem columns in
 * one shared WebAssembly.Memory (the layout a SharedArrayBuffer-backed operator memory would
 * have), the slice copies the copy model ships, and the kernel module, compiled once here.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateTable, partFileName } from '@pushdown/cli';
import { newScanCounters, openFileBlob, openObject } from '@pushdown/engine';

/** WebAssembly pages the kernel module may import (1 GiB: SF 4 in one memory). */
export const MAX_PAGES = 16384;
const PAGE = 65536;

/** Byte offsets of the columns of `n` rows and the accumulators after them, 8-byte aligned. */
export interface Layout {
  qty: number;
  price: number;
  disc: number;
  ship: number;
  supp: number;
  /** Group sums (f64) and counts (i64), `groups` each; per worker after that (shared model). */
  sums: number;
  counts: number;
  total: number;
}

export function layoutOf(n: number, groups: number, extraAccumulators = 0): Layout {
  const a8 = (x: number) => Math.ceil(x / 8) * 8;
  const qty = 64; // [0, 64): the one f64 accumulator of Q6 (atomic model)
  const price = qty + n * 8;
  const disc = price + n * 8;
  const ship = disc + n * 8;
  const supp = a8(ship + n * 4);
  const sums = a8(supp + n * 4);
  const counts = sums + groups * 8;
  return {
    qty,
    price,
    disc,
    ship,
    supp,
    sums,
    counts,
    total: counts + groups * 8 + extraAccumulators * groups * 16,
  };
}

export class Columns {
  readonly layout: Layout;
  readonly memory: WebAssembly.Memory;
  readonly qty: Float64Array;
  readonly price: Float64Array;
  readonly disc: Float64Array;
  readonly ship: Int32Array;
  readonly supp: Int32Array;
  /** Q6's date range in days since the epoch: [1994-01-01, 1995-01-01). */
  readonly lo = Date.UTC(1994, 0, 1) / 864e5;
  readonly hi = Date.UTC(1995, 0, 1) / 864e5;
  readonly accSum = 0;

  constructor(
    readonly rows: number,
    readonly groups: number,
    readonly workers: number,
  ) {
    this.layout = layoutOf(rows, groups, workers);
    const pages = Math.ceil(this.layout.total / PAGE);
    if (pages > MAX_PAGES) throw new Error(`columns need ${pages} pages, the kernel allows ${MAX_PAGES}`);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
    const b = this.memory.buffer;
    this.qty = new Float64Array(b, this.layout.qty, rows);
    this.price = new Float64Array(b, this.layout.price, rows);
    this.disc = new Float64Array(b, this.layout.disc, rows);
    this.ship = new Int32Array(b, this.layout.ship, rows);
    this.supp = new Int32Array(b, this.layout.supp, rows);
  }

  get bytes(): number {
    return this.layout.sums - this.layout.qty;
  }
  /** The shared accumulators of the atomic model. */
  get accSums(): number {
    return this.layout.sums;
  }
  get accCounts(): number {
    return this.layout.counts;
  }
  /** Per-worker partials of the shared model, after the atomic model's accumulators. */
  partialOf(worker: number): { sums: number; counts: number } {
    const base = this.layout.counts + this.groups * 8 + worker * this.groups * 16;
    return { sums: base, counts: base + this.groups * 8 };
  }

  /** Rows [from, to) of the columns `query` reads, copied into a fresh buffer in layoutOf order. */
  slice(query: 'q6' | 'group', from: number, to: number): Uint8Array {
    const l = layoutOf(to - from, this.groups);
    const out = new Uint8Array(l.sums);
    const put = (col: Float64Array | Int32Array, at: number) =>
      out.set(
        new Uint8Array(
          col.buffer,
          col.byteOffset + from * col.BYTES_PER_ELEMENT,
          (to - from) * col.BYTES_PER_ELEMENT,
        ),
        at,
      );
    if (query === 'q6') {
      put(this.qty, l.qty);
      put(this.disc, l.disc);
      put(this.ship, l.ship);
    } else put(this.supp, l.supp);
    put(this.price, l.price);
    return out;
  }
}

/** Decode the columns from the SF's Parquet file (generated first if missing) into shared memory. */
export async function loadColumns(dataDir: string, sf: number, workers: number): Promise<Columns> {
  const dir = join(dataDir, `sf${sf}-p1`);
  const file = join(dir, partFileName('lineitem', 0, 1, 'parquet'));
  if (!existsSync(file))
    await generateTable({
      table: 'lineitem',
      sf,
      formats: ['parquet'],
      parts: 1,
      outDir: dir,
      compression: 'zstd',
    });
  const reader = openObject(await openFileBlob(file), 'parquet');
  const rows = Number(await reader.numRows());
  const cols = new Columns(rows, Math.round(sf * 10000) + 1, workers);
  let at = 0;
  const names = ['l_quantity', 'l_extendedprice', 'l_discount', 'l_shipdate', 'l_suppkey'];
  for await (const b of reader.scan({ columns: names, filter: null, rowGroups: null }, newScanCounters())) {
    const n = b.numRows;
    const col = (i: number) => b.getChildAt(i)!.toArray() as ArrayLike<number | bigint>;
    cols.qty.set(col(0) as Float64Array, at);
    cols.price.set(col(1) as Float64Array, at);
    cols.disc.set(col(2) as Float64Array, at);
    cols.ship.set(col(3) as Int32Array, at);
    const supp = col(4);
    for (let i = 0; i < n; i++) cols.supp[at + i] = Number(supp[i]);
    at += n;
  }
  if (at !== rows) throw new Error(`decoded ${at} rows, the footer says ${rows}`);
  return cols;
}

/** Compile bench/assembly/shared-kernel.ts once (shared imported memory); workers get the Module. */
export async function compileKernel(outFile: string): Promise<WebAssembly.Module> {
  const entry = resolve(import.meta.dirname, '..', 'assembly', 'shared-kernel.ts');
  const { main } = await import('assemblyscript/asc');
  const flags = [
    '--importMemory',
    '--sharedMemory',
    '--initialMemory',
    '1',
    '--maximumMemory',
    String(MAX_PAGES),
  ];
  const { error, stderr } = await main(
    [entry, '--outFile', outFile, ...flags, '--runtime', 'stub', '-O3', '--noAssert', '--enable', 'threads'],
    {},
  );
  if (error) throw new Error(`shared-kernel did not compile: ${error.message}\n${stderr.toString()}`);
  const bytes = readFileSync(outFile);
  rmSync(outFile, { force: true }); // a scratch file: the Module is what workers get
  return new WebAssembly.Module(bytes);
}
