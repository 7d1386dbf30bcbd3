import { Q1_SQL, Q6_SQL } from '@pushdown/cli';
import { runFragment, openFileBlob, planQuery, catalogFromSchemas, openObject, closeScanPool, runUpperStages } from '@pushdown/engine';
import { tableToIPC } from 'apache-arrow';
const dir = '/tmp/par/data';
const sqls = { q1: Q1_SQL, q6: Q6_SQL, sel: 'SELECT l_orderkey, l_comment, l_extendedprice * 2 AS x FROM lineitem WHERE l_quantity < 3', grp: 'SELECT l_suppkey, sum(l_extendedprice), min(l_comment), count(*) FROM lineitem GROUP BY l_suppkey' };
for (const fmt of ['parquet', 'csv']) {
  const file = `${dir}/lineitem-00000-of-00001.${fmt}`;
  const schema = await openObject(await openFileBlob(file), fmt).schema();
  for (const [name, sql] of Object.entries(sqls)) {
    const plan = planQuery(sql, catalogFromSchemas({ lineitem: schema }));
    const fragment = { ...plan.fragment, object: file, format: fmt, schema, rowGroups: null };
    const res = [];
    for (const p of [1, 2, 1, 2]) {
      const t0 = performance.now();
      const run = runFragment(fragment, await openFileBlob(file), { parallelism: p });
      const batches = [];
      for await (const b of runUpperStages(plan.upper, run.batches)) batches.push(b);
      const ms = performance.now() - t0;
      const rows = batches.flatMap((b) => b.toArray().map((r) => JSON.stringify(r.toJSON(), (k, v) => typeof v === 'bigint' ? String(v) : v)));
      res.push({ ms, rows, stats: run.stats });
    }
    const same = res[0].rows.join('\n') === res[1].rows.join('\n');
    console.log(fmt, name, 'same', same, 'rows', res[0].rows.length, 'ms', res.map((r) => r.ms.toFixed(0)).join('/'), 'par', res[1].stats.parallelism, res[1].stats.workerThreads, res[0].stats.rowsScanned, res[1].stats.rowsScanned, res[0].stats.bytesScanned, res[1].stats.bytesScanned);
    if (!same) console.log(res[0].rows.slice(0, 3), res[1].rows.slice(0, 3));
  }
}
await closeScanPool();
