import { openAsBlob } from 'node:fs';
import { readParquetMetadata } from '../../packages/engine/dist/readers/parquet-metadata.js';
import { nativeRowGroup, readChunks, decodeRowGroup } from '../../packages/engine/dist/readers/parquet-native-row-group.js';
import { codecsReady } from '../../packages/engine/dist/readers/parquet-codecs.js';
const file = 'data/bench/sf1-p1/lineitem-00000-of-00001.parquet';
const blob = await openAsBlob(file);
const meta = await readParquetMetadata(blob);
await codecsReady();
const infos = ['l_shipdate','l_discount','l_quantity','l_extendedprice'].map(n => meta.columns.find(c => c.field.name === n));
const rgs = meta.metadata.row_groups.map((_, i) => nativeRowGroup(meta, i, infos));
for (let rep = 0; rep < 4; rep++) {
  let t0 = performance.now();
  const all = [];
  for (const c of rgs) all.push(await readChunks(blob, c));
  let t1 = performance.now();
  for (let i = 0; i < rgs.length; i++) decodeRowGroup(rgs[i], all[i]);
  let t2 = performance.now();
  console.log('read', (t1 - t0).toFixed(0), 'decode', (t2 - t1).toFixed(0));
}
import { openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
const fd = openSync(file, 'r');
const fh = await open(file, 'r');
const scratch = Buffer.allocUnsafe(4 << 20);
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now(); let tot = 0;
  for (const c of rgs) for (const ch of c) { const b = new Uint8Array(ch.end - ch.start); readSync(fd, b, 0, b.length, ch.start); tot += b.length; }
  let t1 = performance.now();
  for (const c of rgs) for (const ch of c) { await fh.read(scratch, 0, ch.end - ch.start, ch.start); }
  let t2 = performance.now();
  for (const c of rgs) for (const ch of c) { const b = new Uint8Array(ch.end - ch.start); await fh.read(b, 0, b.length, ch.start); }
  let t3 = performance.now();
  console.log('readSync new', (t1 - t0).toFixed(0), 'async reuse', (t2 - t1).toFixed(0), 'async new', (t3 - t2).toFixed(0), tot);
}
