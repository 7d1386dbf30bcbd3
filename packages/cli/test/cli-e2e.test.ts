// End to end through real processes: start --detach, status, put, ls, query, explain, stop.
// Needs the built CLI, base node and intermediary (`npx tsc -b`); skipped with a message if not.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const PACKAGES = resolve(import.meta.dirname, '..', '..');
const BIN = resolve(import.meta.dirname, '..', 'bin', 'pushdown.js');
const NEEDED = ['cli', 'base-node', 'intermediary'].map((p) => join(PACKAGES, p, 'dist', 'main.js'));
const missing = NEEDED.filter((f) => !existsSync(f));
if (missing.length) console.warn(`cli-e2e skipped: build first (npx tsc -b); missing ${missing.join(', ')}`);
const describeE2e = missing.length ? describe.skip : describe;

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, PUSHDOWN_ADDR: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeE2e('pushdown start --detach … stop', () => {
  let dir: string;
  let pids: number[] = [];
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pushdown-e2e-'))));
  afterAll(async () => {
    await cli(['stop', '--data-dir', dir]);
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a Parquet object put through the CLI', async () => {
    const parquet = join(dir, 'small.parquet');
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    await conn.run(
      `COPY (SELECT i AS k, i * 0.5 AS v, CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END AS tag
             FROM range(100) t(i)) TO '${parquet}' (FORMAT parquet)`,
    );
    conn.closeSync();

    const started = await cli(['start', '--detach', '--data-dir', dir, '--port', '0']);
    expect(started.stderr).toMatch(/intermediary listening on/);
    expect(started.code).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      intermediary: string;
      processes: { id: string; pid: number }[];
    };
    pids = state.processes.map((p) => p.pid);
    expect(state.processes.map((p) => p.id)).toEqual(['b1', 'b2', 'intermediary']);
    expect(started.stdout).toContain(`intermediary listening on ${state.intermediary}`);

    const status = await cli(['status', '--data-dir', dir]);
    expect(status.code).toBe(0);
    expect(status.stdout.match(/SERVING/g)).toHaveLength(3);

    const put = await cli(['put', parquet, '--table', 'small', '--node', 'b1', '--data-dir', dir]);
    expect(put.stderr).toBe('');
    expect(put.stdout).toMatch(/→ b1: small\/small\.parquet \(parquet, 100 rows/);

    // The intermediary's catalog may learn of new objects a moment later.
    let ls = await cli(['ls', '--data-dir', dir]);
    for (let i = 0; i < 20 && !ls.stdout.includes('small'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      ls = await cli(['ls', '--data-dir', dir]);
    }
    expect(ls.stdout).toMatch(/│ small +│ +1 │ +100 │/);

    for (const placement of ['pushdown', 'no-pushdown']) {
      const q = await cli([
        'query',
        'SELECT tag, count(*) AS n, sum(v) AS s FROM small WHERE k >= 10 GROUP BY tag ORDER BY tag',
        '--format',
        'json',
        '--placement',
        placement,
        '--data-dir',
        dir,
      ]);
      expect(q.stderr).toBe('');
      const rows = q.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows.map((r) => [r['tag'], Number(r['n']), Number(r['s'])])).toEqual([
        ['even', 45, 1215],
        ['odd', 45, 1237.5],
      ]);
    }

    const explain = await cli([
      'explain',
      'SELECT count(*) FROM small',
      '--placement',
      'pushdown',
      '--data-dir',
      dir,
    ]);
    expect(explain.code).toBe(0);
    expect(explain.stdout.toLowerCase()).toContain('pushdown');

    const stop = await cli(['stop', '--data-dir', dir]);
    expect(stop.code).toBe(0);
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 90_000);
});
