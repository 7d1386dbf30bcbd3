/**
 * The README tutorial ("Write a UDF in ten minutes"), step by step through the CLI binary as a
 * user types it: plugins new, edit, plugins build, start --detach, plugins add, query, stop.
 * Only `--data-dir` (a temp folder) and `--port 0` are added, so the test runs beside anything
 * else. The answer is checked against the same test computed in TypeScript over the comments
 * the topology serves.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serversBuilt } from './support/cluster.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages', 'cli', 'bin', 'pushdown.js');
const execFileAsync = promisify(execFile);
const describeIfBuilt = serversBuilt() ? describe : describe.skip;

describeIfBuilt('README tutorial: write a UDF in ten minutes', () => {
  let cwd: string;
  let started = false;
  const env = { ...process.env, PUSHDOWN_ADDR: '' };
  // Every step as typed in the README, plus the test's own data dir and a free port.
  const pushdown = async (...args: string[]) => {
    const { stdout } = await execFileAsync(process.execPath, [CLI, ...args], {
      cwd,
      env,
      maxBuffer: 64 << 20,
    });
    return stdout;
  };

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'pushdown-tutorial-'));
  });

  afterAll(async () => {
    if (started) await pushdown('stop').catch(() => undefined);
    await rm(cwd, { recursive: true, force: true });
  });

  test('new → edit → build → start → add → query → stop', async () => {
    // 1. Scaffold.
    expect(await pushdown('plugins', 'new', 'my_fn')).toContain('created my_fn/');
    // 2. Edit: the word the function looks for.
    const source = join(cwd, 'my_fn', 'assembly', 'index.ts');
    const text = await readFile(source, 'utf8');
    expect(text).toContain('const NEEDLE = "special";');
    await writeFile(source, text.replace('const NEEDLE = "special";', 'const NEEDLE = "furious";'));
    // 3. Build.
    expect(await pushdown('plugins', 'build', 'my_fn')).toMatch(
      /built: my_fn 0\.1\.0 → my_fn\/build\/my_fn\.wasm/,
    );
    // 4. Start the tutorial topology (lineitem SF 0.01 on two base nodes), detached.
    await pushdown(
      'start',
      '--detach',
      '--topology',
      join(ROOT, 'topologies', 'tutorial.yaml'),
      '--port',
      '0',
    );
    started = true;
    // 5. Install on the running topology: the intermediary, then every base node by hash.
    const add = await pushdown('plugins', 'add', 'my_fn');
    expect(add).toMatch(/^installed: my_fn 0\.1\.0 \(sha256 [0-9a-f]{12}…\) on the intermediary /);
    expect(add).toContain('  b1: installed\n  b2: installed\n');
    expect(await pushdown('plugins', 'list')).toMatch(
      /│ my_fn +│ 0\.1\.0 +│ scalar-udf +│ [0-9a-f]{12} │ installed +│ b1, b2 +│/,
    );
    // 6. Query with it, pushed down to the base nodes.
    const sql = 'SELECT count(*) AS n FROM lineitem WHERE my_fn(l_comment)';
    const got = JSON.parse(await pushdown('query', sql, '--format', 'json', '--placement', 'pushdown')) as {
      n: number | string;
    };
    const comments = (await pushdown('query', 'SELECT l_comment FROM lineitem', '--format', 'json'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { l_comment: string }).l_comment);
    expect(comments.length).toBeGreaterThan(50_000); // SF 0.01 lineitem: ~60k rows
    const expected = comments.filter((c) => c.toLowerCase().includes('furious')).length;
    expect(expected).toBeGreaterThan(0);
    expect(Number(got.n)).toBe(expected);
    // 7. Stop.
    await pushdown('stop');
    started = false;
  }, 240_000);
});
