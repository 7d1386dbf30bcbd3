import * as grpc from '@grpc/grpc-js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { startBaseNode, type BaseNodeHandle } from '@pushdown/base-node';
import {
  createBaseNodeClient,
  type BaseNodeClient,
  type ScanResponse__Output,
  type ScanStats__Output,
} from '@pushdown/proto';
import { collect, duck, makeTempDir, putCall, removeDir, unaryCall } from './helpers.js';

const ROWS = 5000;
const SELECT = `SELECT range AS k, (range % 7)::INTEGER AS g, (range * 1.5)::DOUBLE AS v, 'name-' || range AS s FROM range(${ROWS})`;

/** Rows as plain JSON-able values (BigInt → Number) for comparing with DuckDB. */
function rowsOf(table: Table): Record<string, unknown>[] {
  return table.toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) if (typeof v === 'bigint') o[k] = Number(v);
    return o;
  });
}
function normalize(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
  );
}

const col = (name: string) => ({ kind: 'column', name });
const int = (value: number) => ({ kind: 'literal', value: String(value), type: 'int64' });

describe('gRPC BaseNode Scan', () => {
  let dir: string;
  let node: BaseNodeHandle;
  let client: BaseNodeClient;
  let parquetPath: string;
  let csvPath: string;
  const schemas = new Map<string, unknown>();

  beforeAll(async () => {
    dir = await makeTempDir('scan');
    parquetPath = join(dir, 'src.parquet');
    csvPath = join(dir, 'src.csv');
    await duck(
      `COPY (${SELECT}) TO '${parquetPath}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
      `COPY (${SELECT}) TO '${csvPath}' (FORMAT csv, HEADER)`,
    );
    node = await startBaseNode({ nodeId: 'scan-test', dataDir: join(dir, 'node') });
    client = createBaseNodeClient(node.grpcAddress);
    for (const [name, path] of [
      ['t.parquet', parquetPath],
      ['t.csv', csvPath],
    ] as const) {
      const info = await putCall(client, { table: 't', name }, [await readFile(path)]);
      schemas.set(name, JSON.parse(info.schemaJson));
    }
  });
  afterAll(async () => {
    client.close();
    await node.close();
    await removeDir(dir);
  });

  function fragment(object: string, parts: Record<string, unknown>) {
    return {
      version: 1,
      table: 't',
      object,
      format: object.endsWith('.csv') ? 'csv' : 'parquet',
      schema: schemas.get(object),
      columns: [],
      filter: null,
      project: null,
      aggregate: null,
      limit: null,
      rowGroups: null,
      ...parts,
    };
  }

  async function scan(
    f: object,
  ): Promise<{ table: Table; stats: ScanStats__Output; messages: ScanResponse__Output[] }> {
    const messages = await collect(client.scan({ fragmentJson: JSON.stringify(f), queryId: 'q1' }));
    const last = messages.at(-1);
    expect(last?.payload).toBe('stats');
    // payload 'arrow' (asserted in the loop) means the oneof's arrow field is set.
    const arrow = messages.slice(0, -1);
    for (const m of arrow) {
      expect(m.payload).toBe('arrow');
      expect(m.arrow!.length).toBeLessThanOrEqual(1024 * 1024);
    }
    const bytes = Buffer.concat(arrow.map((m) => m.arrow!));
    const stats = last!.stats!;
    expect(stats.bytesOut).toBe(bytes.length);
    return { table: tableFromIPC(bytes), stats, messages };
  }

  describe.each(['t.parquet', 't.csv'])('%s', (object) => {
    const src = () => (object.endsWith('.csv') ? csvPath : parquetPath);

    it('filters and projects like DuckDB', async () => {
      const { table, stats } = await scan(
        fragment(object, {
          columns: ['k', 'v', 's'],
          filter: { kind: 'binary', op: '<', left: col('k'), right: int(100) },
        }),
      );
      const expected = await duck(`SELECT k, v, s FROM '${src()}' WHERE k < 100 ORDER BY k`);
      expect(table.schema.fields.map((f) => f.name)).toEqual(['k', 'v', 's']);
      expect(rowsOf(table)).toEqual(normalize(expected));
      expect(stats.rowsOut).toBe(100);
      expect(stats.rowsScanned).toBeGreaterThanOrEqual(100);
      expect(stats.stages.every((s) => s.tier === 'base:scan-test')).toBe(true);
    });

    it('aggregates partially like DuckDB', async () => {
      const { table } = await scan(
        fragment(object, {
          columns: ['g', 'v'],
          aggregate: {
            groupBy: [{ name: 'g', expr: col('g') }],
            aggregates: [
              { name: 'n', fn: 'count', arg: null },
              { name: 'sv', fn: 'sum', arg: col('v') },
            ],
          },
        }),
      );
      const expected = await duck(
        `SELECT g, count(*) AS n, sum(v) AS sv FROM '${src()}' GROUP BY g ORDER BY g`,
      );
      const got = rowsOf(table).sort((a, b) => Number(a.g) - Number(b.g));
      expect(got.map((r) => [r.g, r.n])).toEqual(normalize(expected).map((r) => [r.g, r.n]));
      got.forEach((r, i) => expect(r.sv).toBeCloseTo(Number(expected[i]!.sv), 6));
    });

    it('sends a valid stream with the schema when nothing matches', async () => {
      const { table, stats } = await scan(
        fragment(object, {
          columns: ['k', 's'],
          filter: { kind: 'binary', op: '<', left: col('k'), right: int(-1) },
        }),
      );
      expect(table.numRows).toBe(0);
      expect(table.schema.fields.map((f) => f.name)).toEqual(['k', 's']);
      expect(stats.rowsOut).toBe(0);
    });
  });

  it('splits a large result into messages of at most 1 MiB', async () => {
    const big = join(dir, 'big.parquet');
    await duck(
      `COPY (SELECT range AS k, 'name-' || range AS s FROM range(100000)) TO '${big}' (FORMAT parquet)`,
    );
    const info = await putCall(client, { table: 't', name: 'big.parquet' }, [await readFile(big)]);
    schemas.set('big.parquet', JSON.parse(info.schemaJson));
    const { table, messages, stats } = await scan(fragment('big.parquet', { columns: ['k', 's'] }));
    expect(table.numRows).toBe(100000);
    expect(Number(table.getChild('k')!.get(99999))).toBe(99999);
    expect(stats.bytesOut).toBeGreaterThan(2 * 1024 * 1024);
    const sizes = messages.filter((m) => m.payload === 'arrow').map((m) => m.arrow!.length);
    expect(Math.max(...sizes)).toBe(1024 * 1024);
  });

  describe('errors', () => {
    const expectScanError = async (fragmentJson: string, code: grpc.status, message?: RegExp) => {
      const err = (await collect(client.scan({ fragmentJson })).then(
        () => new Error('expected an error'),
        (e: unknown) => e,
      )) as grpc.ServiceError;
      expect(grpc.status[err.code]).toBe(grpc.status[code]);
      if (message) expect(err.details).toMatch(message);
      // The node still serves after each error.
      const caps = await unaryCall(client.capabilities.bind(client), {});
      expect(caps.nodeId).toBe('scan-test');
    };

    it('NOT_FOUND for a missing object', () =>
      expectScanError(
        JSON.stringify(fragment('nope.parquet', { columns: ['k'], schema: schemas.get('t.parquet') })),
        grpc.status.NOT_FOUND,
      ));
    it('INVALID_ARGUMENT for bad fragment JSON', () =>
      expectScanError('{not json', grpc.status.INVALID_ARGUMENT, /fragment_json is not valid JSON/));
    it.each([
      'null',
      '[]',
      '"x"',
      '{"version":1}',
      '{"version":1,"table":"t","object":"t.parquet","format":"parquet","schema":[{"name":"k","type":"int64"}],"columns":"k"}',
      '{"version":1,"table":"../t","object":"t.parquet","format":"parquet","schema":[],"columns":[]}',
    ])('INVALID_ARGUMENT for the malformed fragment %s', (json) =>
      expectScanError(json, grpc.status.INVALID_ARGUMENT),
    );
    it('INVALID_ARGUMENT for an unsupported version', () =>
      expectScanError(
        JSON.stringify({ ...fragment('t.parquet', { columns: ['k'] }), version: 99 }),
        grpc.status.INVALID_ARGUMENT,
        /version 99/,
      ));
    it('INVALID_ARGUMENT for an unknown column', () =>
      expectScanError(
        JSON.stringify(fragment('t.parquet', { columns: ['k', 'zz'] })),
        grpc.status.INVALID_ARGUMENT,
        /column "zz" is not in object t\/t.parquet/,
      ));
    it('INVALID_ARGUMENT for a malformed expression', () =>
      expectScanError(
        JSON.stringify(fragment('t.parquet', { columns: ['k'], filter: { kind: 'bogus' } })),
        grpc.status.INVALID_ARGUMENT,
      ));
  });

  it('stops when the client cancels and keeps serving', async () => {
    const call = client.scan({
      fragmentJson: JSON.stringify(fragment('t.csv', { columns: ['k', 'g', 'v', 's'] })),
    });
    const result = new Promise<grpc.status>((resolve) => {
      call.on('data', () => call.cancel());
      call.on('error', (e: grpc.ServiceError) => resolve(e.code));
      call.on('end', () => resolve(grpc.status.OK));
    });
    expect([grpc.status.CANCELLED, grpc.status.OK]).toContain(await result);
    const caps = await unaryCall(client.capabilities.bind(client), {});
    expect(caps.nodeId).toBe('scan-test');
  });
});
