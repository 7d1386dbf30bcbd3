/**
 * TPC-H LINEITEM (spec v3, 4.2.3), generated order by order as dbgen does.
 *
 * Each order i (0-based) has O_ORDERKEY = floor(i/8)*32 + i%8 + 1 (the spec's sparse keys),
 * 1..7 lines and an O_ORDERDATE uniform in [STARTDATE, ENDDATE - 151]. Per line:
 *   l_partkey     uniform [1, SF*200000]
 *   l_suppkey     (partkey + (i * (S/4 + (partkey-1)/S))) mod S + 1, i uniform [0,3], S = SF*10000
 *   l_quantity    uniform [1, 50]
 *   l_extendedprice = l_quantity * P_RETAILPRICE(partkey)
 *   l_discount    uniform [0.00, 0.10];  l_tax uniform [0.00, 0.08]
 *   l_shipdate    orderdate + [1, 121];  l_commitdate orderdate + [30, 90]
 *   l_receiptdate shipdate + [1, 30]
 *   l_returnflag  'R'/'A' at random if receiptdate <= CURRENTDATE (1995-06-17), else 'N'
 *   l_linestatus  'O' if shipdate > CURRENTDATE, else 'F'
 *   l_shipinstruct, l_shipmode uniform over the spec's lists; l_comment 10..43 chars of text
 *
 * Decimals: the spec's DECIMAL columns are float64 here, rounded to 2 decimals (the engine reads
 * decimals as float64 everywhere). Money is computed in integer cents and divided by 100 once,
 * so each value is the double nearest the exact decimal: the very double a reader gets when it
 * parses the CSV text, which keeps Parquet and CSV answers equal.
 *
 * Stream layout (fixed, so a seed always gives the same data): lines, orderdate, then per line
 * partkey, quantity, supplier index, discount, tax, ship, commit, receipt offsets, return coin,
 * shipinstruct, shipmode, comment length, comment offset. Order-only columns for a future
 * `orders` table use their own stream (StreamSalt.ORDER_ONLY) so adding them changes nothing here.
 */
import { appendUtf8, asciiBytes, type ColumnBatch, type GenSchema } from './column-batch.js';
import { TPCH_CURRENT_DATE, TPCH_END_DATE, TPCH_START_DATE } from './dates.js';
import { StreamSalt, UnitRng } from './prng.js';
import type { TableGenerator, UnitFiller } from './table-generator.js';
import { textPool } from './text-pool.js';

// Builtins bound once: hot paths then avoid global lookups, which are slow inside vm contexts
// (jest runs tests in one) and free elsewhere.
const { floor } = Math;

export const LINEITEM_SCHEMA: GenSchema = [
  { name: 'l_orderkey', type: 'int64', nullable: false },
  { name: 'l_partkey', type: 'int64', nullable: false },
  { name: 'l_suppkey', type: 'int64', nullable: false },
  { name: 'l_linenumber', type: 'int32', nullable: false },
  { name: 'l_quantity', type: 'float64', nullable: false, scale: 2 },
  { name: 'l_extendedprice', type: 'float64', nullable: false, scale: 2, dictionary: false },
  { name: 'l_discount', type: 'float64', nullable: false, scale: 2 },
  { name: 'l_tax', type: 'float64', nullable: false, scale: 2 },
  { name: 'l_returnflag', type: 'utf8', nullable: false },
  { name: 'l_linestatus', type: 'utf8', nullable: false },
  { name: 'l_shipdate', type: 'date32', nullable: false },
  { name: 'l_commitdate', type: 'date32', nullable: false },
  { name: 'l_receiptdate', type: 'date32', nullable: false },
  { name: 'l_shipinstruct', type: 'utf8', nullable: false },
  { name: 'l_shipmode', type: 'utf8', nullable: false },
  { name: 'l_comment', type: 'utf8', nullable: false, dictionary: false },
];

export const SHIP_INSTRUCTIONS = ['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'] as const;
export const SHIP_MODES = ['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'] as const;

/** Latest order date: ENDDATE - 151 days, so every line ships, commits and arrives by ENDDATE. */
export const LAST_ORDER_DATE = TPCH_END_DATE - 151;

/** Orders at a scale factor (1,500,000 per SF, at least one). */
export function orderCount(sf: number): number {
  return Math.max(1, Math.round(sf * 1_500_000));
}
/** Parts at a scale factor (200,000 per SF). */
export function partCount(sf: number): number {
  return Math.max(1, Math.round(sf * 200_000));
}
/** Suppliers at a scale factor (10,000 per SF). */
export function supplierCount(sf: number): number {
  return Math.max(1, Math.round(sf * 10_000));
}
/** O_ORDERKEY of the i-th order: keys 1..8 used, then 24 skipped (the spec's sparse keys). */
export function orderKeyOf(i: number): number {
  return floor(i / 8) * 32 + (i % 8) + 1;
}
/** P_RETAILPRICE in cents: 90000 + ((partkey/10) mod 20001) + 100 * (partkey mod 1000). */
export function retailPriceCents(partkey: number): number {
  return 90000 + (floor(partkey / 10) % 20001) + 100 * (partkey % 1000);
}
/** The spec's PS_SUPPKEY bridge for supplier index i in [0, 3]. */
export function suppKeyOf(partkey: number, i: number, suppliers: number): number {
  return ((partkey + i * (floor(suppliers / 4) + floor((partkey - 1) / suppliers))) % suppliers) + 1;
}

const C = {
  orderkey: 0,
  partkey: 1,
  suppkey: 2,
  linenumber: 3,
  quantity: 4,
  extendedprice: 5,
  discount: 6,
  tax: 7,
  returnflag: 8,
  linestatus: 9,
  shipdate: 10,
  commitdate: 11,
  receiptdate: 12,
  shipinstruct: 13,
  shipmode: 14,
  comment: 15,
} as const;

const FLAG_R = asciiBytes('R');
const FLAG_A = asciiBytes('A');
const FLAG_N = asciiBytes('N');
const STATUS_O = asciiBytes('O');
const STATUS_F = asciiBytes('F');
const INSTRUCT_BYTES = SHIP_INSTRUCTIONS.map(asciiBytes);
const MODE_BYTES = SHIP_MODES.map(asciiBytes);

class LineitemFiller implements UnitFiller {
  private readonly rng = new UnitRng();
  private readonly pool = textPool();
  private readonly parts: number;
  private readonly suppliers: number;

  constructor(
    sf: number,
    private readonly seed: number,
  ) {
    this.parts = partCount(sf);
    this.suppliers = supplierCount(sf);
  }

  fill(b: ColumnBatch, order: number): void {
    const rng = this.rng;
    rng.reseed(this.seed, StreamSalt.ORDER_LINES, order);
    const lines = rng.int(1, 7);
    const orderkey = orderKeyOf(order);
    const orderdate = rng.int(TPCH_START_DATE, LAST_ORDER_DATE);

    const okey = b.float64(C.orderkey),
      pkey = b.float64(C.partkey),
      skey = b.float64(C.suppkey);
    const lnum = b.int32(C.linenumber),
      qty = b.float64(C.quantity),
      ext = b.float64(C.extendedprice);
    const disc = b.float64(C.discount),
      tax = b.float64(C.tax);
    const ship = b.int32(C.shipdate),
      commit = b.int32(C.commitdate),
      receipt = b.int32(C.receiptdate);
    const rflag = b.utf8(C.returnflag),
      lstatus = b.utf8(C.linestatus),
      instruct = b.utf8(C.shipinstruct);
    const mode = b.utf8(C.shipmode),
      comment = b.utf8(C.comment);
    const pool = this.pool;

    for (let line = 1; line <= lines; line++) {
      const r = b.length++;
      const partkey = rng.int(1, this.parts);
      const quantity = rng.int(1, 50);
      okey[r] = orderkey;
      pkey[r] = partkey;
      skey[r] = suppKeyOf(partkey, rng.int(0, 3), this.suppliers);
      lnum[r] = line;
      qty[r] = quantity;
      ext[r] = (quantity * retailPriceCents(partkey)) / 100;
      disc[r] = rng.int(0, 10) / 100;
      tax[r] = rng.int(0, 8) / 100;
      const shipdate = orderdate + rng.int(1, 121);
      commit[r] = orderdate + rng.int(30, 90);
      const receiptdate = shipdate + rng.int(1, 30);
      ship[r] = shipdate;
      receipt[r] = receiptdate;
      // The coin is drawn even for 'N' rows so the stream layout never depends on the data.
      const coin = rng.int(0, 1);
      const flag = receiptdate <= TPCH_CURRENT_DATE ? (coin === 1 ? FLAG_R : FLAG_A) : FLAG_N;
      appendUtf8(rflag, r, flag, 0, 1);
      appendUtf8(lstatus, r, shipdate > TPCH_CURRENT_DATE ? STATUS_O : STATUS_F, 0, 1);
      const ins = INSTRUCT_BYTES[rng.int(0, 3)]!;
      appendUtf8(instruct, r, ins, 0, ins.length);
      const md = MODE_BYTES[rng.int(0, 6)]!;
      appendUtf8(mode, r, md, 0, md.length);
      const len = rng.int(10, 43);
      appendUtf8(comment, r, pool, rng.int(0, pool.length - len), len);
    }
  }
}

export const lineitemTable: TableGenerator = {
  name: 'lineitem',
  schema: LINEITEM_SCHEMA,
  unitName: 'order',
  maxRowsPerUnit: 7,
  // 1 + 1 + ~11 + ~4.6 + ~27 bytes on average.
  utf8BytesPerRow: 48,
  unitCount: orderCount,
  rowCount(_sf, seed, from, to) {
    // The line count is the first draw of each order's stream, so counting is one hash per order.
    const rng = new UnitRng();
    let rows = 0;
    for (let i = from; i < to; i++) {
      rng.reseed(seed, StreamSalt.ORDER_LINES, i);
      rows += rng.int(1, 7);
    }
    return rows;
  },
  open: (sf, seed) => new LineitemFiller(sf, seed),
};
