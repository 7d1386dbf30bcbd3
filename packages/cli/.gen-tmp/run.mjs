import { generateTable, createProgressBar } from './index.js';
const sf = Number(process.argv[2] ?? 0.1);
const formats = process.argv[3] ?? 'parquet,csv';
const bar = createProgressBar(process.stderr);
const t = performance.now();
const r = await generateTable({ table: 'lineitem', sf, formats, parts: Number(process.argv[4] ?? 1), outDir: `/tmp/gx/sf${sf}` }, { onProgress: (p) => bar.update(p) });
bar.done();
console.log(r.rows, r.files.map(f => `${f.path} ${f.bytes}`), ((performance.now()-t)/1000).toFixed(2)+'s', 'rss', (process.memoryUsage().rss/1e6).toFixed(0)+'MB');
