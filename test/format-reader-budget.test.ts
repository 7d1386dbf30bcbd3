/**
 * A format-reader plugin runs under its manifest's time budget like a UDF: a scan of a plugin-read
 * object runs as one unit in a scan worker, and every call into the reader is armed with the
 * watchdog's deadline. The "hostile" reader here is the shipped jsonl module itself, installed
 * with a manifest whose budget (1 ms) no real object can meet: the same bytes, so the same hash,
 * only the limit differs. The scan must end with DEADLINE_EXCEEDED naming the reader and the
 * object, and a query over a normal table on the same pool must still succeed. Needs the dist
 * (`npx tsc -b`): scan workers run compiled JavaScript.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  catalogFromSchemas,
  openFileBlob,
  openObject,
  planQuery,
  runFragment,
  runUpperStages,
  ScanPool,
  type Fragment,
  type ObjectFormat,
} from '@pushdown/engine';
import { BUILD_DIR, configurePluginDirs } from '@pushdown/plugins';
import { ErrorCode, type PushdownError } from '@pushdown/proto';

const built = existsSync(join(import.meta.dirname, '../packages/engine/dist/parallel/scan-worker.js'));
const describeIfBuilt = built ? describe : describe.skip;

const ROWS = 200_000;
let dir: string;
let pool: ScanPool;
let jsonl: string;
let csv: string;

async function count(path: string, format: ObjectFormat): Promise<{ n: unknown; workerThreads: number }> {
  const schema = await openObject(await openFileBlob(path), format, null, { objectName: 'e.jsonl' }).schema();
  const plan = planQuery('SELECT count(*) AS n FROM t WHERE a >= 0', catalogFromSchemas({ t: schema }));
  const fragment: Fragment = { ...plan.fragment, object: path, format, schema, rowGroups: null };
  const run = runFragment(fragment, await openFileBlob(path), { parallelism: 1, pool });
  let n: unknown;
  for await (const b of runUpperStages(plan.upper, run.batches)) n = b.toArray()[0]?.toJSON().n;
  return { n, workerThreads: run.stats.workerThreads ?? 0 };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'format-reader-budget-'));
  jsonl = join(dir, 'e.jsonl');
  csv = join(dir, 'e.csv');
  const lines: string[] = [];
  for (let i = 0; i < ROWS; i++) lines.push(`{"a":${i},"s":"row ${i} of a long enough line to parse"}`);
  writeFileSync(jsonl, lines.join('\n') + '\n');
  writeFileSync(csv, 'a\n' + Array.from({ length: 1000 }, (_, i) => String(i)).join('\n') + '\n');
  if (built) pool = new ScanPool({ threads: 2 });
});

afterAll(async () => {
  await pool?.close();
  configurePluginDirs([]);
  rmSync(dir, { recursive: true, force: true });
});

describeIfBuilt('a format reader under its time budget', () => {
  it('scans in a scan worker with the shipped budget and counts every line', async () => {
    configurePluginDirs([]);
    await expect(count(jsonl, 'jsonl')).resolves.toEqual({ n: BigInt(ROWS), workerThreads: 1 });
  });

  it('ends a scan that overruns with DEADLINE_EXCEEDED naming the reader; the pool keeps serving', async () => {
    // The shipped module under a 1 ms budget, installed where the plugin library looks first.
    const installed = join(dir, 'plugins', 'jsonl');
    mkdirSync(installed, { recursive: true });
    cpSync(join(BUILD_DIR, 'jsonl.wasm'), join(installed, 'jsonl.wasm'));
    const manifest = JSON.parse(readFileSync(join(BUILD_DIR, 'jsonl.manifest.json'), 'utf8'));
    manifest.limits.timeBudgetMs = 1;
    writeFileSync(join(installed, 'manifest.json'), JSON.stringify(manifest));
    configurePluginDirs([join(dir, 'plugins')]);

    const started = performance.now();
    const err = (await count(jsonl, 'jsonl').catch((e: unknown) => e)) as PushdownError;
    const stoppedMs = performance.now() - started;
    expect(err.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
    expect(err.message).toMatch(/format reader "jsonl" reading e\.jsonl exceeded its time budget of 1 ms/);
    console.log(
      `format reader over its 1 ms budget stopped after ${stoppedMs.toFixed(0)} ms (incl. scan start)`,
    );

    // Another query on the same pool: the terminated worker was replaced.
    await expect(count(csv, 'csv')).resolves.toEqual({ n: 1000n, workerThreads: 0 });
    expect(pool.liveThreads).toBeGreaterThanOrEqual(1);
  });
});
