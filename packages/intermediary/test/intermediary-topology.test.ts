import * as grpc from '@grpc/grpc-js';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { BaseNodeHandle } from '@pushdown/base-node';
import type { Schema } from '@pushdown/engine';
import { startIntermediary, type IntermediaryHandle } from '@pushdown/intermediary';
import type { IntermediaryClient, ListTablesResponse__Output } from '@pushdown/proto';
import {
  canonRows,
  connect,
  makeTempDir,
  openDuck,
  putFile,
  query,
  queryError,
  removeDir,
  startNode,
} from './topology.js';

const SELECT = (from: number, to: number) => `
  SELECT i::BIGINT AS id,
         CASE WHEN i % 7 = 0 THEN NULL
              ELSE 'name ' || (i % 13) || CASE WHEN i % 5 = 0 THEN ', "q"' ELSE '' END END AS name,
         (i * 1.25)::DOUBLE AS price,
         (DATE '1995-01-01' + (i % 365)::INTEGER) AS d,
         (i % 50)::INTEGER AS qty
  FROM range(${from}, ${to}) t(i)`;

const CSV_SCHEMA: Schema = [
  { name: 'id', type: 'int64', nullable: false },
  { name: 'name', type: 'utf8', nullable: true },
  { name: 'price', type: 'float64', nullable: false },
  { name: 'd', type: 'date32', nullable: false },
  { name: 'qty', type: 'int32', nullable: false },
];

// Every query orders its rows, so results compare row for row.
const QUERIES = [
  'SELECT count(*) AS n FROM {t}',
  'SELECT qty, count(*) AS c, sum(price) AS s, avg(price) AS a, min(d) AS mn, max(name) AS mx FROM {t} WHERE qty < 10 GROUP BY qty ORDER BY qty',
  "SELECT id, name, price, d FROM {t} WHERE price > 1000 AND name LIKE 'name 1%' ORDER BY id LIMIT 20",
  'SELECT * FROM {t} ORDER BY id DESC LIMIT 5 OFFSET 3',
  "SELECT id, price * 2 AS p2 FROM {t} WHERE d BETWEEN DATE '1995-03-01' AND DATE '1995-03-03' ORDER BY id",
];

const PLACEMENTS = ['PLACEMENT_PUSHDOWN', 'PLACEMENT_NO_PUSHDOWN', 'PLACEMENT_AUTO'] as const;

describe('intermediary over two base nodes', () => {
  let dir: string;
  let b1: BaseNodeHandle;
  let b2: BaseNodeHandle;
  let im: IntermediaryHandle;
  let client: IntermediaryClient;
  const duck = { conn: null as unknown as Awaited<ReturnType<typeof openDuck>>['conn'], close: () => {} };

  beforeAll(async () => {
    dir = await makeTempDir('topo');
    const d = await openDuck();
    duck.conn = d.conn;
    duck.close = d.close;
    const f = (n: string) => join(dir, n);
    await d.conn.run(
      `COPY (${SELECT(0, 1500)}) TO '${f('p0.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 500)`,
    );
    await d.conn.run(
      `COPY (${SELECT(1500, 3000)}) TO '${f('p1.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 500)`,
    );
    await d.conn.run(`COPY (${SELECT(0, 1200)}) TO '${f('c0.csv')}' (FORMAT csv, HEADER)`);
    await d.conn.run(`COPY (${SELECT(1200, 2000)}) TO '${f('c1.csv')}' (FORMAT csv, HEADER)`);
    await d.conn.run(`COPY (${SELECT(0, 100)}) TO '${f('solo.parquet')}' (FORMAT parquet)`);
    await d.conn.run(
      `CREATE VIEW pq AS SELECT * FROM read_parquet(['${f('p0.parquet')}', '${f('p1.parquet')}'])`,
    );
    await d.conn.run(`CREATE VIEW cs AS SELECT * FROM pq WHERE id < 2000`);
    b1 = await startNode('b1', dir);
    b2 = await startNode('b2', dir);
    await putFile(b1, 'pq', 'part-0.parquet', f('p0.parquet'));
    await putFile(b2, 'pq', 'part-1.parquet', f('p1.parquet'));
    await putFile(b1, 'cs', 'part-0.csv', f('c0.csv'), CSV_SCHEMA);
    await putFile(b2, 'cs', 'part-1.csv', f('c1.csv'), CSV_SCHEMA);
    await putFile(b1, 'solo', 'only.parquet', f('solo.parquet'));
    im = await startIntermediary({
      port: 0,
      baseNodes: [
        { id: 'b1', grpcAddress: b1.grpcAddress },
        { id: 'b2', grpcAddress: b2.grpcAddress },
      ],
      catalogRefreshMs: 0,
    });
    client = connect(im.address);
  });

  afterAll(async () => {
    client?.close();
    await im?.close(1000);
    await b1?.close(1000);
    await b2?.close(1000);
    duck.close();
    await removeDir(dir);
  });

  async function oracle(sql: string): Promise<unknown[][]> {
    const reader = await duck.conn.runAndReadAll(sql);
    return canonRows(reader.getRowObjectsJson() as Record<string, unknown>[]);
  }

  describe.each(['pq', 'cs'])('table %s', (table) => {
    test.each(QUERIES.flatMap((q) => PLACEMENTS.map((p) => [q, p] as const)))(
      '%s under %s',
      async (q, placement) => {
        const sql = q.replace('{t}', table);
        const res = await query(client, { sql, placement, format: 'RESULT_FORMAT_JSON' });
        const rows = res.data
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(canonRows(rows)).toEqual(await oracle(sql));
        expect(res.stats.rowsReturned).toBe(rows.length);
        expect(res.stats.bytesReturned).toBe(res.data.length);
        expect(res.stats.fragments).toHaveLength(2);
        for (const frag of res.stats.fragments) {
          expect(['PLACEMENT_PUSHDOWN', 'PLACEMENT_NO_PUSHDOWN']).toContain(frag.placement);
          if (placement !== 'PLACEMENT_AUTO') expect(frag.placement).toBe(placement);
          expect(frag.reason).not.toBe('');
        }
        expect(res.stats.bytesShipped).toBeGreaterThan(0);
        expect(res.stats.nodes.map((n) => n.nodeId).sort()).toEqual(['b1', 'b2']);
      },
    );
  });

  test('CSV, JSON and Arrow results hold the same rows', async () => {
    const sql = 'SELECT id, name, price, d, qty FROM pq WHERE qty = 3 ORDER BY id';
    const expected = await oracle(sql);
    const arrow = await query(client, { sql, format: 'RESULT_FORMAT_ARROW' });
    const t = tableFromIPC(arrow.data);
    expect(t.numRows).toBe(expected.length);
    const arrowRows = t.toArray().map((r) => {
      const o = r.toJSON() as Record<string, unknown>;
      o['d'] = new Date(o['d'] as number).toISOString().slice(0, 10);
      return o;
    });
    expect(canonRows(arrowRows)).toEqual(expected);

    const csv = await query(client, { sql, format: 'RESULT_FORMAT_CSV', placement: 'PLACEMENT_NO_PUSHDOWN' });
    const reader = await duck.conn.runAndReadAll(
      `SELECT * FROM read_csv('${join(dir, 'out.csv')}', header = true)`.replace(
        `'${join(dir, 'out.csv')}'`,
        `'${await writeTemp(join(dir, 'out.csv'), csv.data)}'`,
      ),
    );
    expect(csv.data.toString('utf8').split('\n')[0]).toBe('id,name,price,d,qty');
    expect(canonRows(reader.getRowObjectsJson() as Record<string, unknown>[])).toEqual(expected);
  });

  test('stats: scanned rows, stages per tier, pushdown ships less than the objects', async () => {
    const sql = 'SELECT qty, count(*) AS c FROM pq GROUP BY qty ORDER BY qty';
    const push = await query(client, { sql, placement: 'PLACEMENT_PUSHDOWN', format: 'RESULT_FORMAT_JSON' });
    const pull = await query(client, {
      sql,
      placement: 'PLACEMENT_NO_PUSHDOWN',
      format: 'RESULT_FORMAT_JSON',
    });
    expect(push.data.equals(pull.data)).toBe(true);
    expect(push.stats.rowsScanned).toBe(3000);
    expect(pull.stats.rowsScanned).toBe(3000);
    const listing = await listTables(client);
    const pqBytes = listing.tables.find((t) => t.name === 'pq')!.totalBytes;
    expect(pull.stats.bytesShipped).toBe(pqBytes);
    expect(push.stats.bytesShipped).toBeLessThan(pqBytes);
    expect(push.stats.stages.some((s) => s.tier === 'base:b1')).toBe(true);
    expect(push.stats.stages.some((s) => s.tier === 'intermediary' && s.name === 'final_aggregate')).toBe(
      true,
    );
    expect(pull.stats.stages.every((s) => s.tier === 'intermediary')).toBe(true);
    expect(push.stats.queryId).not.toBe(pull.stats.queryId);
  });

  test('AUTO pushes filters and aggregates, pulls full scans, and says why', async () => {
    const agg = await query(client, { sql: 'SELECT count(*) FROM pq', format: 'RESULT_FORMAT_JSON' });
    expect(agg.stats.fragments.map((f) => f.placement)).toEqual(['PLACEMENT_PUSHDOWN', 'PLACEMENT_PUSHDOWN']);
    expect(agg.stats.fragments[0]!.reason).toMatch(/^AUTO: partial aggregate/);
    const all = await query(client, { sql: 'SELECT * FROM pq ORDER BY id', format: 'RESULT_FORMAT_JSON' });
    expect(all.stats.fragments.map((f) => f.placement)).toEqual([
      'PLACEMENT_NO_PUSHDOWN',
      'PLACEMENT_NO_PUSHDOWN',
    ]);
    expect(all.stats.rowsReturned).toBe(3000);
  });

  test('max_concurrency 1 gives the same answer', async () => {
    const sql = 'SELECT sum(price) AS s FROM cs WHERE qty > 25';
    const res = await query(client, { sql, maxConcurrency: 1, format: 'RESULT_FORMAT_JSON' });
    expect(canonRows([JSON.parse(res.data.toString('utf8')) as Record<string, unknown>])).toEqual(
      await oracle(sql),
    );
  });

  test('Explain shows the plan and the placement of each object', async () => {
    const text = await new Promise<string>((resolve, reject) =>
      client.explain({ sql: 'SELECT count(*) FROM pq WHERE qty > 3' }, (err, res) =>
        err ? reject(err) : resolve(res!.text),
      ),
    );
    expect(text).toContain('Placement:');
    expect(text).toMatch(/pq\/part-0\.parquet on b1: PUSHDOWN \(AUTO: partial aggregate/);
    expect(text).toMatch(/pq\/part-1\.parquet on b2: PUSHDOWN/);
  });

  test('ListTables lists tables, objects and totals', async () => {
    const res = await listTables(client);
    expect(res.tables.map((t) => t.name)).toEqual(['cs', 'pq', 'solo']);
    const pq = res.tables.find((t) => t.name === 'pq')!;
    expect(pq.objects.map((o) => o.name)).toEqual(['part-0.parquet', 'part-1.parquet']);
    expect(pq.totalRows).toBe(3000);
    expect(JSON.parse(pq.schemaJson)).toEqual([
      { name: 'id', type: 'int64', nullable: true },
      { name: 'name', type: 'utf8', nullable: true },
      { name: 'price', type: 'float64', nullable: true },
      { name: 'd', type: 'date32', nullable: true },
      { name: 'qty', type: 'int32', nullable: true },
    ]);
  });

  test.each([
    ['unknown table', 'SELECT * FROM nosuch', grpc.status.NOT_FOUND, /table "nosuch" not found/],
    ['bad SQL', 'SELEKT 1', grpc.status.INVALID_ARGUMENT, /./],
    ['unknown column', 'SELECT nope FROM pq', grpc.status.INVALID_ARGUMENT, /nope/],
    ['empty SQL', '', grpc.status.INVALID_ARGUMENT, /no SQL text/],
    [
      'oversize SQL',
      `SELECT 1 FROM pq WHERE id IN (${'1,'.repeat(600_000)}1)`,
      grpc.status.INVALID_ARGUMENT,
      /more than the limit/,
    ],
  ])('%s → status %d', async (_label, sql, code, message) => {
    const err = await queryError(client, { sql });
    expect(err.code).toBe(code);
    expect(err.details).toMatch(message);
  });

  test('a deadline that passes gives DEADLINE_EXCEEDED; the server keeps serving', async () => {
    const err = await query(
      client,
      { sql: 'SELECT * FROM cs ORDER BY id', placement: 'PLACEMENT_NO_PUSHDOWN' },
      { deadline: Date.now() + 5 },
    ).then(
      () => null,
      (e: grpc.ServiceError) => e,
    );
    expect(err?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    const ok = await query(client, { sql: 'SELECT count(*) AS n FROM cs', format: 'RESULT_FORMAT_JSON' });
    expect(ok.data.toString()).toBe('{"n":2000}\n');
  });

  test('a client that cancels mid-stream does not disturb the next query', async () => {
    const call = client.query({
      sql: 'SELECT * FROM pq',
      format: 'RESULT_FORMAT_CSV',
      placement: 'PLACEMENT_PUSHDOWN',
    });
    await new Promise<void>((resolve) => {
      call.once('data', () => {
        call.cancel();
        resolve();
      });
      call.on('error', () => resolve());
    });
    const ok = await query(client, { sql: 'SELECT count(*) AS n FROM pq', format: 'RESULT_FORMAT_JSON' });
    expect(ok.data.toString()).toBe('{"n":3000}\n');
  });

  test('a tiny memory budget fails with RESOURCE_EXHAUSTED, and the server keeps serving', async () => {
    const small = await startIntermediary({
      port: 0,
      baseNodes: [
        { id: 'b1', grpcAddress: b1.grpcAddress },
        { id: 'b2', grpcAddress: b2.grpcAddress },
      ],
      memoryBudgetBytes: 512,
      catalogRefreshMs: 0,
    });
    const c = connect(small.address);
    try {
      const err = await queryError(c, { sql: 'SELECT * FROM pq', placement: 'PLACEMENT_PUSHDOWN' });
      expect(err.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect(err.details).toMatch(/more than the whole memory budget of 512 bytes/);
      const ok = await query(c, { sql: 'SELECT count(*) AS n FROM solo', format: 'RESULT_FORMAT_JSON' });
      expect(ok.data.toString()).toBe('{"n":100}\n');
    } finally {
      c.close();
      await small.close(500);
    }
  });

  // Last: it stops b2.
  test('a stopped base node gives UNAVAILABLE naming it; other tables keep working', async () => {
    await b2.close(200);
    for (const placement of ['PLACEMENT_PUSHDOWN', 'PLACEMENT_NO_PUSHDOWN'] as const) {
      const err = await queryError(client, { sql: 'SELECT count(*) FROM pq', placement });
      expect(err.code).toBe(grpc.status.UNAVAILABLE);
      expect(err.details).toContain(`base node b2 (${b2.grpcAddress})`);
    }
    const ok = await query(client, { sql: 'SELECT count(*) AS n FROM solo', format: 'RESULT_FORMAT_JSON' });
    expect(ok.data.toString()).toBe('{"n":100}\n');
    const listing = await listTables(client);
    expect(listing.tables.map((t) => t.name)).toContain('pq');
  });
});

function listTables(client: IntermediaryClient): Promise<ListTablesResponse__Output> {
  return new Promise((resolve, reject) =>
    client.listTables({}, (err, res) => (err ? reject(err) : resolve(res!))),
  );
}

async function writeTemp(path: string, data: Buffer): Promise<string> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, data);
  return path;
}
