// What `pushdown compose` puts in each service, and how it fails on bad topologies.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseBaseNodeArgs } from '@pushdown/base-node';
import { SERVER_NODE_FLAGS } from '@pushdown/engine';
import { parse } from 'yaml';
import type { CliContext } from '../src/commands/context.js';
import { runCli } from '../src/commands/program.js';
import type { ComposeFile } from '../src/compose/compose-types.js';
import { parseLoadTablesArgs } from '../src/compose/load-plan.js';
import { composeBytes, ENTRY_POINTS, topologyToCompose } from '../src/compose/topology-to-compose.js';
import { loadTopology, validateTopology } from '../src/topology/topology.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

async function composeOf(file: string): Promise<ComposeFile> {
  return topologyToCompose(await loadTopology(resolve(ROOT, file)), { outputDir: ROOT });
}

function context(cwd: string) {
  const out = { stdout: '', stderr: '' };
  const stream = (key: 'stdout' | 'stderr') => ({
    write: (chunk: string | Uint8Array) => ((out[key] += String(chunk)), true),
    once: () => undefined,
  });
  const ctx: CliContext = {
    stdout: stream('stdout'),
    stderr: stream('stderr'),
    cwd,
    signal: new AbortController().signal,
    waitForShutdown: () => new Promise(() => {}),
  };
  return { ctx, out };
}

describe('services of the generated Compose file', () => {
  it('docker/topology.yaml: two half-core 512m base nodes, an intermediary on 127.0.0.1:50051, a loader', async () => {
    const c = await composeOf('docker/topology.yaml');
    expect(Object.keys(c.services)).toEqual(['b1', 'b2', 'intermediary', 'loader']);
    for (const id of ['b1', 'b2']) {
      const s = c.services[id]!;
      expect(s).toMatchObject({ cpus: 0.5, mem_limit: '512m', volumes: [`${id}-data:/data`] });
      expect(s.healthcheck?.test).toEqual(['CMD', 'node', ENTRY_POINTS.healthProbe, '127.0.0.1:7001']);
      expect(s.command).toEqual(
        expect.arrayContaining(['--cpu-quota', '0.5', '--memory-limit', '536870912']),
      );
    }
    const im = c.services.intermediary!;
    expect(im.ports).toEqual(['127.0.0.1:50051:50051']);
    expect(im.depends_on).toEqual({
      b1: { condition: 'service_healthy' },
      b2: { condition: 'service_healthy' },
    });
    expect(im.healthcheck?.test.at(-1)).toBe('127.0.0.1:50051');
    // Unthrottled in the topology: no limits, not cpus: 0 (which Docker reads as "no limit" anyway).
    expect(im).not.toHaveProperty('cpus');
    expect(im).not.toHaveProperty('mem_limit');
    expect(im.command).toEqual(
      expect.arrayContaining(['--base-node', 'b1=b1:7001', '--base-node', 'b2=b2:7001', '--port', '50051']),
    );
    // Plugins installed through the intermediary live on its own volume.
    expect(im.volumes).toEqual(['intermediary-data:/data']);
    expect(im.command).toEqual(expect.arrayContaining(['--plugin-dir', '/data/plugins']));
    const loader = c.services.loader!;
    expect(loader.depends_on).toEqual({ intermediary: { condition: 'service_healthy' } });
    expect(loader.restart).toBe('no');
    expect(Object.keys(c.volumes)).toEqual(['b1-data', 'b2-data', 'intermediary-data']);
  });

  it('topologies/edge.yaml: quarter-core nodes with the 20 ms / 100 Mbit/s link flags', async () => {
    const c = await composeOf('topologies/edge.yaml');
    for (const id of ['b1', 'b2']) {
      const s = c.services[id]!;
      expect(s).toMatchObject({ cpus: 0.25, mem_limit: '512m' });
      expect(s.command).toEqual(
        expect.arrayContaining(['--link-latency-ms', '20', '--link-bandwidth-mbps', '100']),
      );
    }
    const plan = parseLoadTablesArgs(c.services.loader!.command.slice(2));
    expect(plan.intermediary).toBe('intermediary:50051');
    expect([...plan.nodes]).toEqual([
      ['b1', 'b1:7001'],
      ['b2', 'b2:7001'],
    ]);
    expect(plan.tables.map((t) => [t.name, t.gen?.parts])).toEqual([['lineitem', 4]]);
  });

  it('topologies/default.yaml: unthrottled nodes and no tables, so no limits and no loader', async () => {
    const c = await composeOf('topologies/default.yaml');
    expect(Object.keys(c.services)).toEqual(['b1', 'b2', 'intermediary']);
    for (const s of Object.values(c.services)) {
      expect(s).not.toHaveProperty('cpus');
      expect(s.healthcheck).toBeDefined();
    }
  });

  it('every base node command is accepted by the base node itself', async () => {
    for (const file of ['docker/topology.yaml', 'topologies/edge.yaml']) {
      const c = await composeOf(file);
      for (const id of ['b1', 'b2']) {
        const [node, ...rest] = c.services[id]!.command;
        // Servers run with the V8 flags the engine asks for (one GC thread: server-flags.ts).
        const flags = rest.slice(0, SERVER_NODE_FLAGS.length);
        const [entry, ...args] = rest.slice(SERVER_NODE_FLAGS.length);
        expect([node, flags, entry]).toEqual(['node', SERVER_NODE_FLAGS, ENTRY_POINTS.baseNode]);
        expect(parseBaseNodeArgs(args)).toMatchObject({
          help: false,
          options: { nodeId: id, dataDir: '/data' },
        });
      }
    }
  });

  it('fixed ports, replicas, per-node links and files tables carry over', () => {
    const topology = validateTopology(
      {
        intermediary: { port: 6000, cpus: 1.5, memory: '1GiB' },
        baseNodes: [
          { id: 'n1', grpcPort: 9001, httpPort: 9002, link: { latencyMs: 5, bandwidthMbps: 12.5 } },
          { id: 'n2', cpus: 0.1, memory: '100MiB' },
        ],
        tables: { t: { files: ['in/a.csv', 'in/b.csv'], replicas: 2 } },
      },
      'test',
      { baseDir: join(ROOT, 'data') },
    );
    const c = topologyToCompose(topology, { outputDir: ROOT, image: 'x:1', buildContext: '..' });
    expect(c.services.n1!.command).toEqual(
      expect.arrayContaining(['--grpc-port', '9001', '--http-port', '9002', '--link-bandwidth-mbps', '12.5']),
    );
    expect(c.services.n2).toMatchObject({
      cpus: 0.1,
      mem_limit: '100m',
      build: { context: '..' },
      image: 'x:1',
    });
    expect(c.services.intermediary).toMatchObject({
      cpus: 1.5,
      mem_limit: '1g',
      ports: ['127.0.0.1:6000:6000'],
    });
    expect(c.services.intermediary!.command).toEqual(expect.arrayContaining(['--base-node', 'n1=n1:9001']));
    expect(c.services.loader!.volumes).toEqual([
      './data/in/a.csv:/load/t/a.csv:ro',
      './data/in/b.csv:/load/t/b.csv:ro',
    ]);
    const plan = parseLoadTablesArgs(c.services.loader!.command.slice(2));
    expect(plan.tables[0]).toMatchObject({ files: ['/load/t/a.csv', '/load/t/b.csv'], replicas: 2 });
  });

  it('writes Compose byte sizes in the largest exact unit', () => {
    expect([2 ** 30, 512 * 2 ** 20, 1536 * 1024, 1000].map(composeBytes)).toEqual([
      '1g',
      '512m',
      '1536k',
      '1000b',
    ]);
  });

  it('refuses a base node named like a Compose service of its own', () => {
    const topology = validateTopology({ baseNodes: [{ id: 'loader' }] }, 'test');
    expect(() => topologyToCompose(topology)).toThrow(
      'baseNodes[0].id "loader" is also the name of a Compose service; rename the node',
    );
  });
});

describe('pushdown compose', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pushdown-compose-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes --output (creating its folder) with a build context that points back at the repository', async () => {
    const { ctx, out } = context(dir);
    const code = await runCli(
      ['compose', '--topology', join(ROOT, 'topologies/edge.yaml'), '-o', 'sub/c.yml'],
      ctx,
    );
    expect({ code, stderr: out.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining('(4 services)'),
    });
    const text = readFileSync(join(dir, 'sub', 'c.yml'), 'utf8');
    expect(text).toMatch(/^# Generated by `pushdown compose --topology topologies\/edge.yaml`/);
    const doc = parse(text) as ComposeFile;
    expect(resolve(dir, 'sub', doc.services.b1!.build.context)).toBe(ROOT);
  });

  it('prints to stdout without --output', async () => {
    const { ctx, out } = context(ROOT);
    expect(await runCli(['compose', '--topology', 'docker/topology.yaml'], ctx)).toBe(0);
    expect((parse(out.stdout) as ComposeFile).services.b1!.build.context).toBe('.');
  });

  it.each([
    [
      'a misspelled key',
      'baseNodes: [{ id: b1, cpu: 0.5 }]\n',
      /unknown key "baseNodes\[0\]\.cpu".*did you mean "baseNodes\[0\]\.cpus"/,
    ],
    [
      'a table on a node that does not exist',
      'baseNodes: [{ id: b1 }]\ntables: { t: { gen: { table: lineitem, sf: 0.01 }, nodes: [b9] } }\n',
      /tables\.t\.nodes\[0\] is not a base node: "b9"/,
    ],
    [
      'a node named like a Compose service',
      'baseNodes: [{ id: loader }]\n',
      /"loader" is also the name of a Compose service/,
    ],
    ['YAML that does not parse', 'baseNodes: [\n', /not valid YAML/],
  ])('fails with a clear message on %s', async (_what, yaml, message) => {
    writeFileSync(join(dir, 'bad.yaml'), yaml);
    const { ctx, out } = context(dir);
    expect(await runCli(['compose', '--topology', 'bad.yaml'], ctx)).not.toBe(0);
    expect(out.stderr).toMatch(message);
    expect(out.stdout).toBe('');
  });

  it('names the topology file it cannot read', async () => {
    const { ctx, out } = context(dir);
    expect(await runCli(['compose', '--topology', 'nope.yaml'], ctx)).not.toBe(0);
    expect(out.stderr).toContain(`cannot read topology file ${join(dir, 'nope.yaml')}`);
  });
});
