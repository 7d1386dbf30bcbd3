/**
 * Micro benchmark of the WASM operators against plain JS loops (not a test). Over 6M rows:
 *
 * 1. filter + sum on one float64 column (`SUM(x) WHERE x < 0.3`): raw kernels on data already
 *    in operator memory, the executor path (copy in + kernels), and a JS loop;
 * 2. TPC-H Q6's filter + aggregate (4 columns) through PartialAggregator.pushFiltered vs JS;
 * 3. TPC-H Q1's grouping (two 1-char utf8 keys, 8 aggregates) vs a JS loop with a Map.
 *
 * Every answer is checked against the JS result before times are printed. BENCH_ROWS (6e6).
 * Run: npx tsc -b bench && node bench/dist/exec-bench.js
 */
import { Bench } from 'tinybench';
import {
  DateDay,
  Field,
  Float64,
  makeData,
  RecordBatch,
  Schema as ArrowSchema,
  Struct,
  Utf8,
} from 'apache-arrow';
import { CMP, PartialAggregator, bin, col, defaultOperatorHost, lit } from '@pushdown/engine';
import type { AggregateCall, Expr, NamedExpr, Schema } from '@pushdown/engine';

const N = Number(process.env['BENCH_ROWS'] ?? 6_000_000);

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

// ---- data (lineitem-like) ----
const r = rand(42);
const shipdate = Int32Array.from({ length: N }, () => 8035 + Math.floor(r() * 2526));
const discount = Float64Array.from({ length: N }, () => Math.floor(r() * 11) / 100);
const quantity = Float64Array.from({ length: N }, () => 1 + Math.floor(r() * 50));
const price = Float64Array.from({ length: N }, () => 900 + Math.floor(r() * 10_000_000) / 100);
const tax = Float64Array.from({ length: N }, () => Math.floor(r() * 9) / 100);
const utf8Column = (pick: () => string) => {
  const offsets = new Int32Array(N + 1);
  const bytes = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    bytes[i] = pick().charCodeAt(0);
    offsets[i + 1] = i + 1;
  }
  return makeData({ type: new Utf8(), length: N, nullCount: 0, valueOffsets: offsets, data: bytes });
};
const returnflag = utf8Column(() => 'ANR'[Math.floor(r() * 3)]!);
const linestatus = utf8Column(() => 'FO'[Math.floor(r() * 2)]!);

const children = [
  makeData({ type: new DateDay(), length: N, nullCount: 0, data: shipdate }),
  makeData({ type: new Float64(), length: N, nullCount: 0, data: discount }),
  makeData({ type: new Float64(), length: N, nullCount: 0, data: quantity }),
  makeData({ type: new Float64(), length: N, nullCount: 0, data: price }),
  makeData({ type: new Float64(), length: N, nullCount: 0, data: tax }),
  returnflag,
  linestatus,
];
const names = [
  'l_shipdate',
  'l_discount',
  'l_quantity',
  'l_extendedprice',
  'l_tax',
  'l_returnflag',
  'l_linestatus',
];
const fields = children.map((d, i) => new Field(names[i]!, d.type, false));
const batch = new RecordBatch(
  new ArrowSchema(fields),
  makeData({ type: new Struct(fields), length: N, nullCount: 0, children }),
);
const schema: Schema = [
  { name: 'l_shipdate', type: 'date32', nullable: false },
  { name: 'l_discount', type: 'float64', nullable: false },
  { name: 'l_quantity', type: 'float64', nullable: false },
  { name: 'l_extendedprice', type: 'float64', nullable: false },
  { name: 'l_tax', type: 'float64', nullable: false },
  { name: 'l_returnflag', type: 'utf8', nullable: false },
  { name: 'l_linestatus', type: 'utf8', nullable: false },
];

// ---- 1. filter + sum on one f64 column ----
const host = defaultOperatorHost();
const CHUNK = 65_536;
function kernelsResident(xPtr: number, maskPtr: number): number {
  let sum = 0;
  for (let i = 0; i < N; i += CHUNK) {
    const n = Math.min(CHUNK, N - i);
    host.filter.cmp_f64_s(CMP['<'], xPtr + 8 * i, 0.03, n, maskPtr);
    sum += host.aggregate.sum_f64(xPtr + 8 * i, maskPtr, n);
  }
  return sum;
}
function jsFilterSum(x: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! < 0.03) sum += x[i]!;
  return sum;
}
const sumCall: AggregateCall[] = [{ name: 's', fn: 'sum', arg: col('l_discount') }];
function executorFilterSum(): number {
  const p = new PartialAggregator({ groupBy: [], aggregates: sumCall }, schema);
  p.pushFiltered(batch, bin('<', col('l_discount'), lit(0.03, 'float64')));
  return p.finish().getChildAt(0)!.get(0) as number;
}

// ---- 2. Q6 ----
const q6: Expr = bin(
  'and',
  bin(
    'and',
    bin('>=', col('l_shipdate'), lit(8766, 'date32')),
    bin('<', col('l_shipdate'), lit(9131, 'date32')),
  ),
  bin(
    'and',
    {
      kind: 'between',
      arg: col('l_discount'),
      low: lit(0.05, 'float64'),
      high: lit(0.07, 'float64'),
      negated: false,
    },
    bin('<', col('l_quantity'), lit(24, 'int32')),
  ),
);
const q6Calls: AggregateCall[] = [
  { name: 'revenue', fn: 'sum', arg: bin('*', col('l_extendedprice'), col('l_discount')) },
];
function wasmQ6(): number {
  const p = new PartialAggregator({ groupBy: [], aggregates: q6Calls }, schema);
  p.pushFiltered(batch, q6);
  return p.finish().getChildAt(0)!.get(0) as number;
}
function jsQ6(): number {
  let sum = 0;
  for (let i = 0; i < N; i++) {
    const d = discount[i]!;
    if (shipdate[i]! >= 8766 && shipdate[i]! < 9131 && d >= 0.05 && d <= 0.07 && quantity[i]! < 24)
      sum += price[i]! * d;
  }
  return sum;
}

// ---- 3. Q1 ----
const one = lit(1, 'int32');
const discPrice = bin('*', col('l_extendedprice'), bin('-', one, col('l_discount')));
const q1Group: NamedExpr[] = [
  { name: 'l_returnflag', expr: col('l_returnflag') },
  { name: 'l_linestatus', expr: col('l_linestatus') },
];
const q1Calls: AggregateCall[] = [
  { name: 'sum_qty', fn: 'sum', arg: col('l_quantity') },
  { name: 'sum_base_price', fn: 'sum', arg: col('l_extendedprice') },
  { name: 'sum_disc_price', fn: 'sum', arg: discPrice },
  { name: 'sum_charge', fn: 'sum', arg: bin('*', discPrice, bin('+', one, col('l_tax'))) },
  { name: 'avg_qty', fn: 'avg', arg: col('l_quantity') },
  { name: 'avg_price', fn: 'avg', arg: col('l_extendedprice') },
  { name: 'avg_disc', fn: 'avg', arg: col('l_discount') },
  { name: 'count_order', fn: 'count', arg: null },
];
const q1Filter = bin('<=', col('l_shipdate'), lit(10471, 'date32'));
function wasmQ1(): RecordBatch {
  const p = new PartialAggregator({ groupBy: q1Group, aggregates: q1Calls }, schema);
  p.pushFiltered(batch, q1Filter);
  return p.finish();
}
function jsQ1(): Map<string, number[]> {
  const rf = returnflag.values as Uint8Array;
  const ls = linestatus.values as Uint8Array;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < N; i++) {
    if (shipdate[i]! > 10471) continue;
    const key = String.fromCharCode(rf[i]!, ls[i]!);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = [0, 0, 0, 0, 0, 0]));
    const dp = price[i]! * (1 - discount[i]!);
    g[0]! += quantity[i]!;
    g[1]! += price[i]!;
    g[2]! += dp;
    g[3]! += dp * (1 + tax[i]!);
    g[4]! += discount[i]!;
    g[5]! += 1;
  }
  return groups;
}

// ---- check answers, then time ----
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
function check(name: string, ok: boolean): void {
  if (!ok) throw new Error(`exec-bench: ${name} disagrees with the JS baseline`);
}

const mark = host.mem.mark();
const xPtr = host.mem.alloc(8 * N, 'bench');
const maskPtr = host.mem.alloc(CHUNK, 'bench');
host.mem.views().f64.set(discount, xPtr >> 3);

check('filter+sum (kernels)', close(kernelsResident(xPtr, maskPtr), jsFilterSum(discount)));
check('filter+sum (executor)', close(executorFilterSum(), jsFilterSum(discount)));
check('Q6', close(wasmQ6(), jsQ6()));
{
  const out = wasmQ1();
  const js = jsQ1();
  check('Q1 groups', out.numRows === js.size);
  for (let g = 0; g < out.numRows; g++) {
    const key = String(out.getChildAt(0)!.get(g)) + String(out.getChildAt(1)!.get(g));
    const want = js.get(key)!;
    check(`Q1 ${key} sum_charge`, close(out.getChild('sum_charge')!.get(g) as number, want[3]!));
    check(`Q1 ${key} count`, Number(out.getChild('count_order')!.get(g)) === want[5]);
  }
}

const bench = new Bench({ time: 2000, iterations: 5, warmup: true });
bench
  .add('filter+sum 1 col: WASM kernels, data resident', () => void kernelsResident(xPtr, maskPtr))
  .add('filter+sum 1 col: executor (copy in + WASM)', () => void executorFilterSum())
  .add('filter+sum 1 col: plain JS loop', () => void jsFilterSum(discount))
  .add('Q6 filter+agg: executor (copy in + WASM)', () => void wasmQ6())
  .add('Q6 filter+agg: plain JS loop', () => void jsQ6())
  .add('Q1 group+8 aggs: executor (copy in + WASM)', () => void wasmQ1())
  .add('Q1 group+8 aggs: plain JS loop + Map', () => void jsQ1());
await bench.run();
host.mem.release(mark);

const ms = (name: string): number => {
  const result = bench.tasks.find((t) => t.name === name)!.result;
  if (!('latency' in result)) throw new Error(`exec-bench: task "${name}" did not complete`);
  return result.latency.mean;
};
console.log(`exec-bench: ${N.toLocaleString()} rows, Node ${process.version}`);
for (const t of bench.tasks) {
  const m = ms(t.name);
  console.log(
    `${t.name.padEnd(48)} ${m.toFixed(2).padStart(9)} ms  ${(((N / m) * 1000) / 1e6).toFixed(0).padStart(6)} M rows/s`,
  );
}
const ratio = (a: string, b: string) => (ms(b) / ms(a)).toFixed(2);
console.log(
  `ratio JS/WASM filter+sum (resident):  ${ratio('filter+sum 1 col: WASM kernels, data resident', 'filter+sum 1 col: plain JS loop')}x`,
);
console.log(
  `ratio JS/WASM filter+sum (executor):  ${ratio('filter+sum 1 col: executor (copy in + WASM)', 'filter+sum 1 col: plain JS loop')}x`,
);
console.log(
  `ratio JS/WASM Q6:                     ${ratio('Q6 filter+agg: executor (copy in + WASM)', 'Q6 filter+agg: plain JS loop')}x`,
);
console.log(
  `ratio JS/WASM Q1:                     ${ratio('Q1 group+8 aggs: executor (copy in + WASM)', 'Q1 group+8 aggs: plain JS loop + Map')}x`,
);
