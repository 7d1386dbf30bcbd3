/**
 * Runs the compiled entry point as a real process: it must print exactly one "listening" JSON
 * line, serve, and exit 0 on SIGTERM. Needs `npx tsc -b` first.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createBaseNodeClient } from '@pushdown/proto';
import { makeTempDir, removeDir, unaryCall } from './helpers.js';

const MAIN = join(import.meta.dirname, '..', 'dist', 'main.js');
const BIN = join(import.meta.dirname, '..', 'bin', 'pushdown-base-node.js');
const built = existsSync(MAIN);
if (!built) {
  console.warn(`skipping main-process tests: ${MAIN} is missing; run "npx tsc -b" first`);
}

(built ? describe : describe.skip)('pushdown-base-node process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('main');
  });
  afterAll(() => removeDir(dir));

  it('prints one listening line, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, '--node-id', 'proc-1', '--data-dir', dir, '--cpu-quota', '0.25'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines: string[] = [];
    const first = new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout });
      rl.on('line', (line) => {
        lines.push(line);
        if (lines.length === 1) resolve(line);
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const listening = JSON.parse(await first) as Record<string, string>;
    expect(Object.keys(listening)).toEqual(['event', 'nodeId', 'grpc', 'http']);
    expect(listening).toMatchObject({ event: 'listening', nodeId: 'proc-1' });
    expect(listening.grpc).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(listening.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const client = createBaseNodeClient(listening.grpc!);
    const caps = await unaryCall(client.capabilities.bind(client), {});
    expect(caps).toMatchObject({ nodeId: 'proc-1', cpuQuota: 0.25, httpUrl: listening.http });
    client.close();
    expect((await fetch(`${listening.http}/healthz`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines).toHaveLength(1);
    expect(stderr).toContain('SIGTERM');
  });

  it('prints usage for --help and refuses bad flags with exit code 2', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, [MAIN, ...args]);
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: pushdown-base-node');
    const bad = await run(['--node-id', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--data-dir is required');
  });
});
