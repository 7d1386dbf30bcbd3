/**
 * The process entry point, run from the build (dist/main.js; `npx tsc -b` first): the one
 * listening line, serving a query, flag errors, and a graceful SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BaseNodeHandle } from '@pushdown/base-node';
import { connect, makeTempDir, openDuck, putFile, query, removeDir, startNode } from './topology.js';

const MAIN = join(import.meta.dirname, '..', 'dist', 'main.js');

describe('pushdown-intermediary process', () => {
  let dir: string;
  let node: BaseNodeHandle;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npx tsc -b first`);
    dir = await makeTempDir('main');
    const duck = await openDuck();
    await duck.conn.run(
      `COPY (SELECT range AS k FROM range(42)) TO '${join(dir, 'k.parquet')}' (FORMAT parquet)`,
    );
    duck.close();
    node = await startNode('m1', dir);
    await putFile(node, 'k', 'k.parquet', join(dir, 'k.parquet'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await node.close(500);
    await removeDir(dir);
  });

  test('prints one listening line, serves queries, exits 0 on SIGTERM', async () => {
    child = spawn(
      process.execPath,
      [MAIN, '--port', '0', '--base-node', `m1=${node.grpcAddress}`, '--max-concurrency', '2'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child!.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
    });
    const ready = JSON.parse(first) as { event: string; grpc: string };
    expect(ready.event).toBe('listening');
    expect(first).toBe(`{"event":"listening","grpc":"${ready.grpc}"}`);
    expect(ready.grpc).toMatch(/^127\.0\.0\.1:\d+$/);

    const client = connect(ready.grpc);
    const res = await query(client, { sql: 'SELECT count(*) AS n FROM k', format: 'RESULT_FORMAT_JSON' });
    expect(res.data.toString()).toBe('{"n":42}\n');
    client.close();

    const more: string[] = [];
    lines.on('line', (l) => more.push(l));
    const exit = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(more).toEqual([]); // exactly one line on stdout
  });

  test.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--base-node', 'nohost'], /--base-node must be ID=HOST:PORT/],
    [['--max-concurrency', '0'], /options.maxConcurrency must be a positive integer/],
    [['--memory-budget', 'lots'], /--memory-budget must be a non-negative integer/],
  ])('%j exits 2 with a usage message', (args, message) => {
    const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test('--help prints usage and exits 0', () => {
    const r = spawnSync(process.execPath, [MAIN, '--help'], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--base-node ID=HOST:PORT/);
  });
});
