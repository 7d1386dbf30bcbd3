// The Compose loader and health probe against real in-process base nodes and an intermediary:
// what runs inside the containers, without Docker.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBaseNode, type BaseNodeHandle } from '@pushdown/base-node';
import { startIntermediary, type IntermediaryHandle } from '@pushdown/intermediary';
import { PushdownClient } from '../src/client/pushdown-client.js';
import type { TableSpec } from '../src/compose/compose-input.js';
import { parseLoadTablesArgs, placeTable } from '../src/compose/load-plan.js';
import { loadTables } from '../src/compose/load-tables.js';
import { ENTRY_POINTS } from '../src/compose/topology-to-compose.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const quiet = () => {};

describe('load plan', () => {
  it('places part p on nodes[(p + r) % n] for each replica r', () => {
    const table: TableSpec = {
      name: 't',
      gen: { table: 'lineitem', sf: 0.01, format: 'csv', parts: 3 },
      nodes: ['a', 'b'],
      replicas: 2,
    };
    expect(placeTable(table).map((o) => [o.name, o.nodeIds])).toEqual([
      ['lineitem-00000-of-00003.csv', ['a', 'b']],
      ['lineitem-00001-of-00003.csv', ['b', 'a']],
      ['lineitem-00002-of-00003.csv', ['a', 'b']],
    ]);
  });

  it.each([
    [['--node', 'b1=x:1'], 'loader: --addr HOST:PORT of the intermediary is required'],
    [['--addr', 'i:1', '--node', 'b1'], 'loader: --node must be ID=HOST:PORT, got "b1"'],
    [['--addr', 'i:1', '--tables', '{'], 'loader: --tables is not valid JSON'],
    [
      ['--addr', 'i:1', '--tables', '[{"name":"t","nodes":["b3"],"replicas":1,"files":["/x"]}]'],
      'loader: table t is placed on "b3", which has no --node',
    ],
  ])('rejects %j', (argv, message) => {
    expect(() => parseLoadTablesArgs(argv)).toThrow(message);
  });
});

describe('loader and health probe against a running topology', () => {
  let dir: string;
  let nodes: BaseNodeHandle[];
  let im: IntermediaryHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pushdown-loader-'));
    nodes = await Promise.all(
      ['b1', 'b2'].map((id) =>
        startBaseNode({ nodeId: id, dataDir: join(dir, id), host: '127.0.0.1', log: quiet }),
      ),
    );
    im = await startIntermediary({
      host: '127.0.0.1',
      port: 0,
      baseNodes: nodes.map((n) => ({ id: n.nodeId, grpcAddress: n.grpcAddress })),
      catalogRefreshMs: 0,
      logger: quiet,
    });
  });

  afterAll(async () => {
    await im?.close();
    await Promise.all((nodes ?? []).map((n) => n.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates and puts what is missing, then finds everything present on a second run', async () => {
    const csv = join(dir, 'tiny.csv');
    writeFileSync(csv, 'k,v\n1,a\n2,b\n');
    const plan = {
      intermediary: im.address,
      nodes: new Map(nodes.map((n) => [n.nodeId, n.grpcAddress])),
      tables: [
        {
          name: 'li',
          gen: { table: 'lineitem', sf: 0.001, format: 'csv', parts: 2 },
          nodes: ['b1', 'b2'],
          replicas: 2,
        },
        { name: 'tiny', files: [csv], nodes: ['b2'], replicas: 1 },
      ] satisfies TableSpec[],
    };
    const lines: string[] = [];
    const first = await loadTables(plan, { workDir: join(dir, 'work'), log: (l) => lines.push(l) });
    expect(first.put.sort()).toEqual([
      'li/lineitem-00000-of-00002.csv@b1',
      'li/lineitem-00000-of-00002.csv@b2',
      'li/lineitem-00001-of-00002.csv@b1',
      'li/lineitem-00001-of-00002.csv@b2',
      'tiny/tiny.csv@b2',
    ]);
    expect(first.kept).toBe(0);
    expect(existsSync(join(dir, 'work', 'li'))).toBe(false);
    expect(lines.at(-1)).toBe(`catalog at ${im.address} lists li, tiny`);

    const client = new PushdownClient(im.address);
    try {
      const tables = await client.listTables();
      expect(tables.find((t) => t.name === 'tiny')?.totalRows).toBe(2);
    } finally {
      client.close();
    }

    const second = await loadTables(plan, { workDir: join(dir, 'work'), log: quiet });
    expect(second).toEqual({ put: [], kept: 5 });
  });

  // Asynchronous: the servers answer from this process's event loop.
  const probe = (address: string) =>
    new Promise<{ status: number; stdout: string }>((done) => {
      execFile(
        process.execPath,
        [resolve(ROOT, ENTRY_POINTS.healthProbe), address],
        { timeout: 20_000 },
        (err, stdout) => done({ status: err ? Number(err.code) : 0, stdout }),
      );
    });

  it('the health probe exits 0 for a serving base node and intermediary', async () => {
    for (const address of [nodes[0]!.grpcAddress, im.address]) {
      const r = await probe(address);
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: `${address} SERVING\n` });
    }
  });

  it('the health probe exits 1 when nothing listens', async () => {
    const r = await probe('127.0.0.1:1');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^127\.0\.0\.1:1 UNREACHABLE/);
  });
});
