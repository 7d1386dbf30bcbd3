// `pushdown plugins ...` in process (runCli with captured streams): list, info, verify, add,
// remove, bench, their errors and exit codes, and --help with examples for each subcommand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from './run-cli-captured.js';

let cwd: string;
beforeEach(() => (cwd = mkdtempSync(join(tmpdir(), 'pushdown-plugins-cli-'))));
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

async function run(...argv: string[]) {
  return runCliCaptured(['plugins', ...argv], cwd);
}

describe('pushdown plugins', () => {
  it('lists registry plugins and built-in operators', async () => {
    const r = await run('list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ hash64 +│ 0\.1\.0 +│ scalar-udf +│ registry +│/);
    expect(r.stdout).toMatch(/│ filter +│ 0\.1\.0 +│ operator +│ built-in +│/);
  });

  it('shows typed functions in info', async () => {
    const r = await run('info', 'geo');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('geo_distance_to(float64, float64, float64 const, float64 const) -> float64');
    expect(r.stdout).toContain('limits:    1024 pages (64 MiB), 5000 ms per call');
  });

  it('verifies by name and by path, and fails on a missing plugin with NOT_FOUND', async () => {
    expect((await run('verify', 'hash64')).stdout).toMatch(
      /^ok: hash64 0\.1\.0 \(scalar-udf\) sha256 [0-9a-f]{64}/,
    );
    const missing = await run('verify', 'no_such_plugin');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(
      'error: no plugin "no_such_plugin" (not a path, not installed, not in the registry)',
    );
  });

  it('adds into <data-dir>/plugins, lists it as installed, and removes it', async () => {
    const add = await run('add', 'text_match', '--data-dir', 'node-b0');
    expect(add.stdout).toBe(
      `installed: text_match 0.1.0 → ${join(cwd, 'node-b0', 'plugins', 'text_match')}\n`,
    );
    expect((await run('add', 'text_match', '--data-dir', 'node-b0')).stdout).toMatch(/^already installed: /);
    expect((await run('list', '--data-dir', 'node-b0')).stdout).toMatch(
      /│ text_match +│ 0\.1\.0 +│ scalar-udf +│ installed +│/,
    );
    expect((await run('remove', 'text_match', '--data-dir', 'node-b0')).code).toBe(0);
    const again = await run('remove', 'text_match', '--data-dir', 'node-b0');
    expect(again.code).toBe(3);
  });

  it('benches a UDF against TypeScript and prints the table and summary', async () => {
    const r = await run('bench', 'geo', '--fn', 'geo_distance', '--sizes', '1,1000', '--time', '5');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ geo_distance +│ +1000 │/);
    expect(r.stdout).toMatch(
      /geo_distance: per-call overhead \(1 row\) wasm [\d.]+ µs, ts [\d.]+ µs; per-row cost \(1000 rows\)/,
    );
    expect((await run('bench', 'geo', '--sizes', '0')).stderr).toContain(
      '--sizes must be integers from 1 to 16000000',
    );
    expect((await run('bench', 'filter')).stderr).toContain(
      'bench measures scalar UDFs; "filter" is of kind operator',
    );
  });

  it('refuses add when no topology runs and no --data-dir names a folder, saying what to do', async () => {
    const r = await run('add', 'geo');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('error: no running topology to install "geo" into (start one');
    expect(r.stderr).toContain('--data-dir DIR to install into DIR/plugins');
  });

  it('refuses remove when nothing runs and no --data-dir names a folder; --node needs a topology', async () => {
    const r = await run('remove', 'geo');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('error: no running topology to remove "geo" from (start one');
    const node = await run('remove', 'geo', '--data-dir', 'node-b0', '--node', 'b1');
    expect(node.stderr).toContain('error: --node needs a running topology');
  });

  it('scaffolds a plugin folder and refuses names that are not identifiers', async () => {
    const r = await run('new', 'my_fn');
    expect(r.stdout).toBe(
      'created my_fn/ with manifest.json, assembly/index.ts, README.md\n' +
        'next: edit my_fn/assembly/index.ts, then `pushdown plugins build my_fn`\n',
    );
    expect((await run('new', 'my_fn')).stderr).toContain('already exists and is not empty');
    expect((await run('new', 'My-Fn')).stderr).toContain('"My-Fn" cannot name a plugin');
    expect((await run('add', 'my_fn')).stderr).toContain('is a plugin source folder that has not been built');
  });

  it.each(['list', 'info', 'verify', 'add', 'remove', 'bench', 'new', 'build'])(
    '%s --help has examples',
    async (sub) => {
      const r = await run(sub, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`$ pushdown plugins ${sub}`);
    },
  );
});
