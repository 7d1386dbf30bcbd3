import { openAsBlob } from 'node:fs';
import { openObject, newScanCounters, openFileBlob } from '@pushdown/engine';
const file = 'data/bench/sf1-p1/lineitem-00000-of-00001.parquet';
const cols = (process.env.COLS ?? 'l_shipdate,l_discount,l_quantity,l_extendedprice').split(',');
for (let rep = 0; rep < +(process.env.REPS ?? 5); rep++) {
  const reader = openObject(await openFileBlob(file), "parquet");
  const c = newScanCounters();
  const t0 = performance.now();
  let rows = 0;
  for await (const b of reader.scan({ columns: cols, filter: null, rowGroups: null }, c)) rows += b.numRows;
  console.log('scan', (performance.now() - t0).toFixed(0), 'ms', rows, 'decodeMs', c.decodeMs.toFixed(0), 'copied', c.bytesCopied);
}
