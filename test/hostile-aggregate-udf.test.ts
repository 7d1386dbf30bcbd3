/**
 * Hostile aggregate UDFs called from SQL, in this process with real scan workers (they run the
 * engine's dist: `npx tsc -b` first). The plugins are compiled from AssemblyScript here and
 * installed in a plugin folder as `pushdown plugins add` would. An `_update` that never returns
 * is stopped by the scan watchdog: DEADLINE_EXCEEDED naming the plugin and the phase export,
 * while a well-behaved aggregate query started at the same moment on the same pool succeeds. An
 * `_update` that traps fails its query as a plugin error naming the export.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  catalogFromSchemas,
  openFileBlob,
  openObject,
  planQuery,
  runFragment,
  runUpperStages,
  ScanPool,
  type Fragment,
} from '@pushdown/engine';
import { configurePluginDirs, publishedManifest, type PluginManifest } from '@pushdown/plugins';
import { ErrorCode, type PushdownError } from '@pushdown/proto';

const built = existsSync(join(import.meta.dirname, '../packages/engine/dist/parallel/scan-worker.js'));
const describeIfBuilt = built ? describe : describe.skip;
const BUDGET_MS = 100;
const ROWS = 3000;
const PLUGIN_BUILD = join(import.meta.dirname, '../packages/plugins/dist/plugin-build.js');

/** An aggregate `<name>(float64) -> float64` whose update runs `body`; the other phases are inert. */
function hostileSource(name: string, body: string): string {
  return `export const ABI_VERSION: i32 = 1;
export function ${name}_init(states: usize, groups: i32): void { memory.fill(states, 0, <usize>groups * 8); }
export function ${name}_update(states: usize, ids: usize, x: usize, xV: usize, rows: i32): void { ${body} }
export function ${name}_merge(states: usize, other: usize, groups: i32): void {}
export function ${name}_finalize(states: usize, groups: i32, out: usize, outV: usize): i32 {
  memory.fill(outV, 0, (<usize>groups + 7) >> 3);
  return groups;
}
`;
}

const HOSTILE = {
  // Stores on every turn, so no optimiser may drop the loop; ids are never below -1.
  agg_spin: 'let i = 0; while (load<i32>(ids) >= -1) { i++; store<i32>(states, i); }',
  agg_trap: 'unreachable();',
};

let dir: string;
let pool: ScanPool;
let csv: string;

async function installAggregate(name: string, body: string): Promise<void> {
  const folder = join(dir, 'plugins', name);
  mkdirSync(join(folder, 'assembly'), { recursive: true });
  writeFileSync(join(folder, 'assembly', 'index.ts'), hostileSource(name, body));
  const source: PluginManifest = {
    name,
    version: '0.1.0',
    abiVersion: 1,
    kind: 'aggregate-udf',
    exports: [{ name, args: ['float64'], result: 'float64', stateBytes: 8 }],
    runsOn: ['base', 'intermediary'],
    limits: { memoryPages: 16, timeBudgetMs: BUDGET_MS },
    imports: ['env.memory'],
    sha256: '',
  };
  // The compiler is ESM-only, which jest's CJS transform cannot load: compile in a child node.
  const [entry, out] = [join(folder, 'assembly', 'index.ts'), join(folder, `${name}.wasm`)];
  const flags = ['--memoryBase', '4096', '--noExportMemory', '--use', 'abort=', '--initialMemory', '1'];
  const script = `const { compileAssemblyScript } = await import(${JSON.stringify(PLUGIN_BUILD)});
    await compileAssemblyScript(${JSON.stringify(entry)}, ${JSON.stringify(out)}, ${JSON.stringify(flags)});`;
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  const bytes = new Uint8Array(readFileSync(out));
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(publishedManifest(source, bytes)));
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const schema = await openObject(await openFileBlob(csv), 'csv', null, {}).schema();
  const plan = planQuery(sql, catalogFromSchemas({ t: schema }));
  const fragment: Fragment = { ...plan.fragment, object: csv, format: 'csv', schema, rowGroups: null };
  // parallelism 1: the fragment still runs in a worker, because it calls a plugin.
  const run = runFragment(fragment, await openFileBlob(csv), { parallelism: 1, pool });
  const rows: Record<string, unknown>[] = [];
  for await (const b of runUpperStages(plan.upper, run.batches))
    for (const r of b.toArray()) rows.push(r.toJSON());
  return rows;
}

/** var_welford of 0..ROWS-1: the sample variance of n consecutive integers is n(n+1)/12. */
async function wellBehaved(): Promise<void> {
  const rows = await query('SELECT var_welford(a) AS v, count(*) AS n FROM t');
  const want = (ROWS * (ROWS + 1)) / 12;
  expect(rows).toHaveLength(1);
  expect(Math.abs((rows[0]!.v as number) - want) / want).toBeLessThan(1e-12);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hostile-agg-'));
  for (const [name, body] of Object.entries(HOSTILE)) await installAggregate(name, body);
  configurePluginDirs([join(dir, 'plugins')]);
  csv = join(dir, 't.csv');
  writeFileSync(csv, ['a', ...Array.from({ length: ROWS }, (_, i) => String(i))].join('\n') + '\n');
  if (built) pool = new ScanPool({ threads: 2 });
}, 60_000);

afterAll(async () => {
  await pool?.close();
  configurePluginDirs([]);
  rmSync(dir, { recursive: true, force: true });
});

describeIfBuilt('hostile aggregate UDFs through SQL on the scan pool', () => {
  it('an endless _update is stopped at its budget and ends only its own query', async () => {
    await wellBehaved(); // both workers up, the good plugin compiled
    const hostile = query('SELECT agg_spin(a) FROM t').then(
      () => new Error('the hostile query succeeded'),
      (e: unknown) => e,
    );
    const [err] = await Promise.all([hostile, wellBehaved()]);
    expect((err as PushdownError).code).toBe(ErrorCode.DEADLINE_EXCEEDED);
    expect((err as Error).message).toBe(
      `plugin "agg_spin" function "agg_spin_update" exceeded its time budget of ${BUDGET_MS} ms; its scan worker ` +
        `was terminated and the query stopped (raise limits.timeBudgetMs of "agg_spin" or scan smaller batches)`,
    );
    await wellBehaved(); // the pool replaced the worker
  }, 30_000);

  it('a trapping _update fails its query as a plugin error naming the export', async () => {
    await expect(query('SELECT agg_trap(a) FROM t')).rejects.toMatchObject({
      code: ErrorCode.PLUGIN,
      message: expect.stringMatching(/^plugin "agg_trap" function "agg_trap_update" trapped: unreachable/),
    });
    await wellBehaved();
  }, 30_000);
});
