/**
 * Bad input over real processes: each ends the one query (or put) with the right gRPC status
 * and a message a user can act on; nothing partial is left; the servers stay up and answer the
 * next query.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BaseNodeAdmin, collectBytes, generateTable, listObjects } from '@pushdown/cli';
import { DuckDBInstance } from '@duckdb/node-api';
import { createBaseNodeClient } from '@pushdown/proto';
import { serversBuilt, startCluster, type Cluster } from './support/cluster.js';
import { grpcFailure } from './support/errors.js';

const describeIfBuilt = serversBuilt() ? describe : describe.skip;

describeIfBuilt('bad input over real processes', () => {
  let dir: string;
  let cluster: Cluster;
  let good: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pushdown-bad-input-'));
    const gen = await generateTable({
      table: 'lineitem',
      sf: 0.01,
      formats: ['parquet'],
      parts: 2,
      outDir: dir,
    });
    good = gen.files[0]!.path;
    cluster = await startCluster(2);
    await cluster.load(
      'lineitem',
      gen.files.map((f) => f.path),
    );
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const query = (sql: string) => collectBytes(cluster.client.query(sql, { format: 'json' }).chunks);

  /** The cluster still answers a real query. */
  async function stillServes(): Promise<void> {
    const text = Buffer.from(await query('SELECT count(*) AS n FROM lineitem')).toString();
    expect(JSON.parse(text).n).toBeGreaterThan(50_000);
  }

  /** Nothing of a failed put is visible or left on disk. */
  async function nothingLeft(table: string): Promise<void> {
    for (const address of Object.values(cluster.nodes)) {
      expect((await listObjects(address, table)).length).toBe(0);
    }
    for (const id of Object.keys(cluster.nodes)) {
      const tmp = join(cluster.dir, 'nodes', id, 'tmp');
      expect(await readdir(tmp).catch(() => [])).toEqual([]);
    }
  }

  async function put(file: string, table: string) {
    const admin = new BaseNodeAdmin(Object.values(cluster.nodes)[0]!);
    try {
      return await admin.putObject(file, { table });
    } finally {
      admin.close();
    }
  }

  it('malformed SQL: INVALID_ARGUMENT saying where', async () => {
    const f = await grpcFailure(query('SELECT l_quantity FROM lineitem WHERE'));
    expect(f.status).toBe('INVALID_ARGUMENT');
    expect(f.message).toMatch(/line 1, column \d+/);
    await stillServes();
  });

  it('unsupported SQL: INVALID_ARGUMENT naming the construct', async () => {
    const f = await grpcFailure(
      query('SELECT a.l_orderkey FROM lineitem a JOIN lineitem b ON a.l_orderkey = b.l_orderkey'),
    );
    expect(f.status).toBe('INVALID_ARGUMENT');
    expect(f.message).toMatch(/JOIN is not supported/);
  });

  it('unknown table: NOT_FOUND listing the known tables', async () => {
    const f = await grpcFailure(query('SELECT count(*) FROM lineitems'));
    expect(f.status).toBe('NOT_FOUND');
    expect(f.message).toMatch(/lineitem/);
  });

  it('unknown column: INVALID_ARGUMENT with a suggestion', async () => {
    const f = await grpcFailure(query('SELECT sum(l_quantty) FROM lineitem'));
    expect(f.status).toBe('INVALID_ARGUMENT');
    expect(f.message).toMatch(/l_quantty/);
    expect(f.message).toMatch(/l_quantity/);
    await stillServes();
  });

  it('oversize SQL: refused with a clear status', async () => {
    const sql = `SELECT count(*) FROM lineitem WHERE l_comment IN (${Array.from({ length: 120_000 }, (_, i) => `'c${i}'`).join(',')})`;
    const f = await grpcFailure(query(sql));
    expect(['INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED']).toContain(f.status);
    expect(f.message).toMatch(/MiB|bytes|too (large|long)/i);
    await stillServes();
  });

  it('Parquet with bad magic: DATA_LOSS at put, nothing left', async () => {
    const bytes = await readFile(good);
    const bad = join(dir, 'bad-magic.parquet');
    await writeFile(bad, Buffer.concat([bytes.subarray(0, bytes.length - 4), Buffer.from('NOPE')]));
    const f = await grpcFailure(put(bad, 'bad_magic'));
    expect(f.status).toBe('DATA_LOSS');
    expect(f.message).toMatch(/magic|Parquet/i);
    await nothingLeft('bad_magic');
  });

  it('Parquet with a truncated footer: DATA_LOSS at put, nothing left', async () => {
    const bytes = await readFile(good);
    const bad = join(dir, 'truncated.parquet');
    // Keep the trailing length + magic but cut the footer's body short.
    const footerLen = bytes.readUInt32LE(bytes.length - 8);
    const cut = Buffer.concat([
      bytes.subarray(0, bytes.length - 8 - Math.floor(footerLen / 2)),
      bytes.subarray(bytes.length - 8),
    ]);
    await writeFile(bad, cut);
    const f = await grpcFailure(put(bad, 'truncated'));
    expect(f.status).toBe('DATA_LOSS');
    await nothingLeft('truncated');
    await stillServes();
  });

  it('Parquet with a corrupt page: DATA_LOSS for that query, the next one works', async () => {
    const bytes = Buffer.from(await readFile(good));
    // Scribble over the middle of the data pages; the footer stays valid, so the put succeeds.
    for (let i = 0; i < 4096; i++) bytes[Math.floor(bytes.length / 3) + i] = (i * 131) & 0xff;
    const bad = join(dir, 'bad-page.parquet');
    await writeFile(bad, bytes);
    await put(bad, 'bad_page');
    await cluster.client.listTables(); // let the catalog see it
    const f = await grpcFailure(
      (async () => {
        for (let i = 0; i < 50; i++) {
          const tables = await cluster.client.listTables();
          if (tables.some((t) => t.name === 'bad_page')) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        return query('SELECT sum(l_extendedprice), max(l_comment) FROM bad_page');
      })(),
    );
    expect(f.status).toBe('DATA_LOSS');
    await stillServes();
  });

  it('CSV with a wrong column count: DATA_LOSS at put naming the line, nothing left', async () => {
    const bad = join(dir, 'ragged.csv');
    await writeFile(bad, 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
    const f = await grpcFailure(put(bad, 'ragged'));
    expect(f.status).toBe('DATA_LOSS');
    expect(f.message).toMatch(/line 3/);
    await nothingLeft('ragged');
  });

  it('CSV with an unterminated quote: DATA_LOSS at put, nothing left', async () => {
    const bad = join(dir, 'unterminated.csv');
    await writeFile(bad, 'a,b\n1,"two\n3,4\n');
    const f = await grpcFailure(put(bad, 'unterminated'));
    expect(f.status).toBe('DATA_LOSS');
    expect(f.message).toMatch(/unterminated/i);
    await nothingLeft('unterminated');
    await stillServes();
  });

  it('a CSV written by DuckDB can be put and queried', async () => {
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const file = join(dir, 'duck.csv');
    await conn.run(
      `COPY (SELECT range AS k, range * 0.5 AS v, 'x,' || range AS s FROM range(100)) TO '${file}' (HEADER)`,
    );
    conn.closeSync();
    await put(file, 'duck');
    for (let i = 0; i < 50 && !(await cluster.client.listTables()).some((t) => t.name === 'duck'); i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const text = Buffer.from(
      await query(`SELECT sum(v) AS v, max(s) AS s FROM duck WHERE k < 10`),
    ).toString();
    expect(JSON.parse(text)).toEqual({ v: 22.5, s: 'x,9' });
  });

  it('an object deleted behind the catalog: NOT_FOUND naming it, the next query works', async () => {
    await put(good, 'gone');
    for (let i = 0; i < 50 && !(await cluster.client.listTables()).some((t) => t.name === 'gone'); i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const node = createBaseNodeClient(Object.values(cluster.nodes)[0]!);
    await new Promise<void>((resolve, reject) =>
      node.deleteObject({ table: 'gone', name: basename(good) }, (err) => (err ? reject(err) : resolve())),
    );
    node.close();
    const f = await grpcFailure(query('SELECT count(*) FROM gone'));
    expect(f.status).toBe('NOT_FOUND');
    expect(f.message).toContain(basename(good));
    await stillServes();
  });
});
