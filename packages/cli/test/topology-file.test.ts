import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPOLOGY_JSON_SCHEMA, loadTopology, validateTopology } from '../src/index.js';
import { placeParts } from '../src/topology/table-loader.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('topology file: the extended format', () => {
  it('fills nodes from the count form, sizes, links and defaults', () => {
    const t = validateTopology({
      link: { latencyMs: 20, bandwidthMbps: 100 },
      baseNodes: { count: 2, cpus: 0.25, memory: '512MiB' },
      intermediary: { port: 0, cpus: 1, memory: '1g', memoryBudget: 1048576 },
    });
    expect(t.baseNodes.map((n) => [n.id, n.cpus, n.memory, n.dataDir])).toEqual([
      ['b1', 0.25, 512 * 2 ** 20, 'nodes/b1'],
      ['b2', 0.25, 512 * 2 ** 20, 'nodes/b2'],
    ]);
    expect(t.baseNodes[0]!.link).toEqual({ latencyMs: 20, bandwidthBytesPerSec: 12_500_000 });
    expect(t.intermediary).toEqual({ port: 0, cpus: 1, memory: 2 ** 30, memoryBudget: 1048576 });
  });

  it('lets a node override part of the default link', () => {
    const t = validateTopology({
      link: { latencyMs: 20, bandwidthMbps: 8 },
      baseNodes: [{ id: 'a' }, { id: 'b', link: { latencyMs: 5 } }],
    });
    expect(t.baseNodes.map((n) => n.link)).toEqual([
      { latencyMs: 20, bandwidthBytesPerSec: 1e6 },
      { latencyMs: 5, bandwidthBytesPerSec: 1e6 },
    ]);
  });

  it.each<[string, unknown, string]>([
    [
      'cpus as a word',
      { baseNodes: [{ id: 'a' }, { id: 'b', cpus: 'half' }] },
      't.yaml: baseNodes[1].cpus must be a number > 0 (got "half")',
    ],
    [
      'cpus zero',
      { baseNodes: [{ id: 'a', cpus: 0 }] },
      't.yaml: baseNodes[0].cpus must be a number > 0 (got 0)',
    ],
    [
      'memory without a unit we know',
      { baseNodes: [{ id: 'a', memory: '5 lots' }] },
      't.yaml: baseNodes[0].memory must be a size like 512MiB, 1GiB or a number of bytes (0 = no limit) (got "5 lots")',
    ],
    [
      'misspelt link key',
      { link: { latency: 5 }, baseNodes: [{ id: 'a' }] },
      't.yaml: unknown key "link.latency"; did you mean "link.latencyMs"?',
    ],
    [
      'negative bandwidth',
      { baseNodes: [{ id: 'a', link: { bandwidthMbps: -1 } }] },
      't.yaml: baseNodes[0].link.bandwidthMbps must be a number >= 0 (0 = unlimited) (got -1)',
    ],
    [
      'count out of range',
      { baseNodes: { count: 0 } },
      't.yaml: baseNodes.count must be an integer in 1..64 (got 0)',
    ],
    [
      'misspelt count-form key',
      { baseNodes: { count: 2, cpu: 1 } },
      't.yaml: unknown key "baseNodes.cpu"; did you mean "baseNodes.cpus"?',
    ],
    [
      'intermediary cpus',
      { baseNodes: [{ id: 'a' }], intermediary: { cpus: -2 } },
      't.yaml: intermediary.cpus must be a number >= 0 (cores; 0 = unthrottled) (got -2)',
    ],
    [
      'table on an unknown node',
      { baseNodes: [{ id: 'b1' }, { id: 'b2' }], tables: { x: { files: ['x.csv'], nodes: ['b3'] } } },
      't.yaml: tables.x.nodes[0] is not a base node: "b3"; did you mean "b1"?',
    ],
    [
      'more replicas than nodes',
      { baseNodes: [{ id: 'b1' }], tables: { x: { files: ['x.csv'], replicas: 2 } } },
      't.yaml: tables.x.replicas must be an integer in 1..1 (the number of nodes) (got 2)',
    ],
    [
      'table with neither gen nor files',
      { baseNodes: [{ id: 'b1' }], tables: { x: { nodes: ['b1'] } } },
      't.yaml: tables.x needs exactly one of "gen" (generate TPC-H data) or "files" (existing files)',
    ],
    [
      'unknown TPC-H table',
      { baseNodes: [{ id: 'b1' }], tables: { x: { gen: { table: 'lineitems', sf: 0.1 } } } },
      't.yaml: tables.x.gen.table must be one of',
    ],
    [
      'gen without sf',
      { baseNodes: [{ id: 'b1' }], tables: { x: { gen: { table: 'lineitem' } } } },
      't.yaml: tables.x.gen.sf is required (a TPC-H scale factor like 0.1)',
    ],
  ])('%s', (_name, input, message) => {
    expect(() => validateTopology(input, 't.yaml')).toThrow(message);
  });

  it('places parts round-robin with replicas on the following nodes', () => {
    const t = validateTopology({
      baseNodes: { count: 3 },
      tables: { x: { files: ['/p0', '/p1', '/p2'], nodes: ['b1', 'b2', 'b3'], replicas: 2 } },
    });
    expect(placeParts(t.tables[0]!, ['p0', 'p1', 'p2']).map((p) => `${p.file}@${p.node}`)).toEqual([
      'p0@b1',
      'p0@b2',
      'p1@b2',
      'p1@b3',
      'p2@b3',
      'p2@b1',
    ]);
  });

  describe('files', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pushdown-topo-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads YAML, resolves table files against the file folder', async () => {
      const file = join(dir, 't.yaml');
      writeFileSync(
        file,
        'baseNodes:\n  - { id: b1, cpus: 0.5 }\ntables:\n  mydata: { files: [data/x.csv], nodes: [b1] }\n',
      );
      const t = await loadTopology(file);
      expect(t.tables).toEqual([
        { name: 'mydata', files: [join(dir, 'data', 'x.csv')], nodes: ['b1'], replicas: 1 },
      ]);
    });

    it('names the file and the line of a YAML syntax error', async () => {
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, 'baseNodes:\n  - { id: b1\n');
      await expect(loadTopology(file)).rejects.toThrow(
        /bad\.yaml: not valid YAML: .*at line \d+, column \d+/s,
      );
    });

    it('still reads the old JSON form', async () => {
      const file = join(dir, 't.json');
      writeFileSync(
        file,
        JSON.stringify({ baseNodes: [{ id: 'b1', grpcPort: 7001 }], intermediary: { port: 7000 } }),
      );
      const t = await loadTopology(file);
      expect(t.baseNodes[0]).toMatchObject({ id: 'b1', grpcPort: 7001, cpus: 0 });
      expect(t.intermediary.port).toBe(7000);
    });
  });

  it.each(['default.yaml', 'edge.yaml'])('ships topologies/%s, and it validates', async (name) => {
    const t = await loadTopology(join(ROOT, 'topologies', name));
    expect(t.baseNodes.length).toBe(2);
    if (name === 'edge.yaml') {
      expect(t.baseNodes.every((n) => n.cpus === 0.25)).toBe(true);
      expect(t.baseNodes[0]!.link).toEqual({ latencyMs: 20, bandwidthBytesPerSec: 12_500_000 });
    }
  });

  it('has a JSON Schema that names every top-level key', () => {
    expect(Object.keys(TOPOLOGY_JSON_SCHEMA.properties).sort()).toEqual(
      ['baseNodes', 'host', 'intermediary', 'link', 'tables'].sort(),
    );
  });
});
