import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { validateTopology } from '../src/topology/topology.js';
import { launchTopology, stopProcesses } from '../src/topology/launcher.js';
import {
  isAlive,
  readLiveState,
  readState,
  stateFilePath,
  writeState,
  type TopologyState,
} from '../src/topology/state-file.js';

const FAKE = join(import.meta.dirname, 'fixtures', 'fake-server.mjs');

describe('topology validation', () => {
  it('fills defaults', () => {
    expect(validateTopology({ baseNodes: [{ id: 'b1' }] })).toEqual({
      host: '127.0.0.1',
      link: { latencyMs: 0, bandwidthBytesPerSec: 0 },
      baseNodes: [
        {
          id: 'b1',
          grpcPort: 0,
          httpPort: 0,
          cpus: 0,
          memory: 0,
          dataDir: 'nodes/b1',
          link: { latencyMs: 0, bandwidthBytesPerSec: 0 },
        },
      ],
      intermediary: { port: 50051, cpus: 0, memory: 0, memoryBudget: 256 * 1024 * 1024 },
      tables: [],
    });
  });

  it.each<[string, unknown, string]>([
    ['not an object', [], 't.json: must be a JSON object like {"baseNodes": [{"id": "b1"}]}'],
    [
      'no nodes',
      { baseNodes: [] },
      't.json: baseNodes must be a non-empty array like [{"id": "b1"}, {"id": "b2"}]',
    ],
    [
      'misspelt key',
      { baseNode: [{ id: 'b1' }] },
      't.json: unknown key "baseNode"; did you mean "baseNodes"?',
    ],
    [
      'bad id',
      { baseNodes: [{ id: 'b 1' }] },
      `t.json: baseNodes[0].id must be 1-32 letters, digits, '-' or '_'; got "b 1"`,
    ],
    [
      'duplicate id',
      { baseNodes: [{ id: 'b1' }, { id: 'b1' }] },
      't.json: duplicate base node id "b1" (baseNodes[0] and baseNodes[1])',
    ],
    [
      'bad port',
      { baseNodes: [{ id: 'b1' }], intermediary: { port: 70000 } },
      't.json: intermediary.port must be an integer in 0..65535 (0 picks a free port); got 70000',
    ],
    [
      'port clash',
      { baseNodes: [{ id: 'b1', grpcPort: 50051 }] },
      't.json: port 50051 is used twice (intermediary.port and baseNodes[0].grpcPort)',
    ],
    [
      'reserved id',
      { baseNodes: [{ id: 'intermediary' }] },
      't.json: baseNodes[0].id "intermediary" is reserved; pick another id',
    ],
    [
      'misspelt node key',
      { baseNodes: [{ id: 'b1', grpcport: 1 }] },
      't.json: unknown key "baseNodes[0].grpcport"; did you mean "baseNodes[0].grpcPort"?',
    ],
  ])('%s', (_name, input, message) => {
    expect(() => validateTopology(input, 't.json')).toThrow(message);
  });
});

describe('state file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pushdown-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const state = (pids: number[]): TopologyState => ({
    version: 1,
    startedAt: new Date().toISOString(),
    dataDir: dir,
    launcherPid: 1,
    detached: true,
    intermediary: '127.0.0.1:50051',
    processes: pids.map((pid, i) => ({
      id: `b${i}`,
      role: 'base-node',
      pid,
      grpc: `127.0.0.1:${4000 + i}`,
      log: 'x',
    })),
  });

  it('round-trips and reports live processes', async () => {
    await writeState(dir, state([process.pid]));
    expect((await readState(dir))?.processes).toEqual(state([process.pid]).processes);
    const live = await readLiveState(dir);
    expect(live?.alive.get('b0')).toBe(true);
  });

  it('detects and removes a stale state file whose pids are dead', async () => {
    const dead = await deadPid();
    await writeState(dir, state([dead]));
    const stale: number[] = [];
    expect(await readLiveState(dir, (s) => stale.push(...s.processes.map((p) => p.pid)))).toBeUndefined();
    expect(stale).toEqual([dead]);
    expect(await readState(dir)).toBeUndefined();
  });

  it('refuses a damaged state file with a hint', async () => {
    writeFileSync(stateFilePath(dir), '{"version": 99}');
    await expect(readState(dir)).rejects.toThrow(
      /is not a pushdown state file.*remove it if nothing is running/,
    );
  });
});

describe('launcher (with stand-in servers)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pushdown-launch-'))));
  afterEach(() => {
    delete process.env['FAKE_MODE'];
    rmSync(dir, { recursive: true, force: true });
  });
  const topology = validateTopology({ baseNodes: [{ id: 'b1' }, { id: 'b2' }], intermediary: { port: 0 } });

  it('starts every process, writes the state file, and stops them all', async () => {
    const launched = await launchTopology({
      dataDir: dir,
      topology,
      scripts: { baseNode: FAKE, intermediary: FAKE },
      readyTimeoutMs: 10_000,
    });
    const state = JSON.parse(readFileSync(stateFilePath(dir), 'utf8')) as TopologyState;
    expect(state.processes.map((p) => [p.id, p.role])).toEqual([
      ['b1', 'base-node'],
      ['b2', 'base-node'],
      ['intermediary', 'intermediary'],
    ]);
    expect(state.intermediary).toMatch(/^127\.0\.0\.1:\d+$/);
    const log = readFileSync(join(dir, 'logs', 'intermediary.log'), 'utf8');
    const b1 = state.processes[0]!;
    expect(log).toContain(`--base-node b1=${b1.grpc}`);
    expect(readFileSync(join(dir, 'logs', 'b1.log'), 'utf8')).toContain(
      `--data-dir ${join(dir, 'nodes', 'b1')}`,
    );
    // A second start from the same data dir is refused.
    await expect(
      launchTopology({ dataDir: dir, topology, scripts: { baseNode: FAKE, intermediary: FAKE } }),
    ).rejects.toThrow(/already running/);
    await launched.stop();
    expect(state.processes.every((p) => !isAlive(p.pid))).toBe(true);
    expect(await readState(dir)).toBeUndefined();
  });

  it('reports a crash before ready with the log tail, and leaves nothing running', async () => {
    process.env['FAKE_MODE'] = 'crash';
    await expect(
      launchTopology({ dataDir: dir, topology, scripts: { baseNode: FAKE, intermediary: FAKE } }),
    ).rejects.toThrow(
      /b\d exited \(code 3\) before it was ready; last lines of .*b\d\.log:\n[\s\S]*boom: cannot start/,
    );
    expect(await readState(dir)).toBeUndefined();
  });

  it('times out on a server that never listens', async () => {
    process.env['FAKE_MODE'] = 'silent';
    await expect(
      launchTopology({
        dataDir: dir,
        topology,
        scripts: { baseNode: FAKE, intermediary: FAKE },
        readyTimeoutMs: 500,
      }),
    ).rejects.toThrow(/did not print its listening line within 500 ms/);
  });

  it('SIGKILLs a process that ignores SIGTERM', async () => {
    process.env['FAKE_MODE'] = 'stubborn';
    const child = spawn(process.execPath, [FAKE], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, FAKE_MODE: 'stubborn' },
    });
    // Its listening line comes after the SIGTERM handler is in place.
    await new Promise((r) => child.stdout.once('data', r));
    const [result] = await stopProcesses(
      [{ id: 'x', role: 'base-node', pid: child.pid!, grpc: '', log: '' }],
      300,
    );
    expect(result?.outcome).toBe('killed');
  });
});

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}
