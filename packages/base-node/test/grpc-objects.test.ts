import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ABI_VERSION, readableFormats, startBaseNode, type BaseNodeHandle } from '@pushdown/base-node';
import { registryPlugins } from '@pushdown/engine';
import { createBaseNodeClient, ERROR_CODE_METADATA_KEY, type BaseNodeClient } from '@pushdown/proto';
import { collect, eventually, filesUnder, makeTempDir, putCall, removeDir, unaryCall } from './helpers.js';

const CSV = 'id,name\n1,one\n2,two\n3,three\n';
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('gRPC BaseNode object operations', () => {
  let dir: string;
  let node: BaseNodeHandle;
  let client: BaseNodeClient;

  beforeAll(async () => {
    dir = await makeTempDir('grpc');
    node = await startBaseNode({
      nodeId: 'obj-test',
      dataDir: dir,
      maxObjectBytes: 4 * 1024 * 1024,
      cpuQuota: 0.5,
    });
    client = createBaseNodeClient(node.grpcAddress);
  });
  afterAll(async () => {
    client.close();
    await node.close();
    await removeDir(dir);
  });

  /** Asserts a call fails with exactly this status (and never UNKNOWN), and the node still serves. */
  async function expectStatus(p: Promise<unknown>, code: grpc.status, message?: string | RegExp) {
    const err = (await p.then(
      () => {
        throw new Error(`expected status ${grpc.status[code]}, got success`);
      },
      (e: unknown) => e,
    )) as grpc.ServiceError;
    expect(grpc.status[err.code]).toBe(grpc.status[code]);
    if (message) expect(err.details).toMatch(message);
    expect(err.metadata.get(ERROR_CODE_METADATA_KEY)[0]).toMatch(/^PUSHDOWN_ERR_/);
    const caps = await unaryCall(client.capabilities.bind(client), {});
    expect(caps.nodeId).toBe('obj-test');
  }

  const stat = (table: string, name: string) => unaryCall(client.statObject.bind(client), { table, name });
  const del = (table: string, name: string) => unaryCall(client.deleteObject.bind(client), { table, name });
  const list = (table = '') => unaryCall(client.listObjects.bind(client), { table });
  const getBytes = async (table: string, name: string, offset = 0, length = 0) => {
    const msgs = await collect(client.getObject({ table, name, offset, length }));
    return { chunks: msgs.map((m) => m.chunk), bytes: Buffer.concat(msgs.map((m) => m.chunk)) };
  };

  it('reports capabilities', async () => {
    const caps = await unaryCall(client.capabilities.bind(client), {});
    expect(caps).toMatchObject({
      nodeId: 'obj-test',
      version: '0.1.0',
      abiVersion: ABI_VERSION,
      operators: ['scan', 'filter', 'project', 'partial_aggregate', 'udf'],
      formats: readableFormats(), // parquet, csv, then jsonl when its plugin is built
      plugins: registryPlugins(),
      cpuQuota: 0.5,
      memoryLimitBytes: 0,
      httpUrl: node.httpUrl,
    });
  });

  it('serves grpc.health.v1 for the server and the BaseNode service', async () => {
    const Health = grpc.makeGenericClientConstructor(healthService, 'Health');
    const health = new Health(node.grpcAddress, grpc.credentials.createInsecure()) as unknown as {
      check(
        req: { service: string },
        cb: (err: grpc.ServiceError | null, res?: { status: string }) => void,
      ): void;
      close(): void;
    };
    for (const service of ['', 'pushdown.v1.BaseNode']) {
      const res = await unaryCall(health.check.bind(health), { service });
      expect(res).toEqual({ status: 'SERVING' });
    }
    health.close();
  });

  it('puts, stats, lists, gets and deletes', async () => {
    const info = await putCall(client, { table: 'nums', name: 'a.csv', sha256: sha(CSV) }, [
      Buffer.from(CSV.slice(0, 10)),
      Buffer.from(CSV.slice(10)),
    ]);
    expect(info).toMatchObject({
      table: 'nums',
      name: 'a.csv',
      size: CSV.length,
      sha256: sha(CSV),
      format: 'csv',
      numRows: 3,
    });
    expect(JSON.parse(info.schemaJson)).toEqual([
      { name: 'id', type: 'int64', nullable: expect.any(Boolean) },
      { name: 'name', type: 'utf8', nullable: expect.any(Boolean) },
    ]);
    expect(await stat('nums', 'a.csv')).toEqual(info);
    expect((await list()).objects).toEqual([info]);
    expect((await list('nums')).objects).toEqual([info]);
    expect((await list('none')).objects).toEqual([]);

    expect((await getBytes('nums', 'a.csv')).bytes.toString()).toBe(CSV);
    expect((await getBytes('nums', 'a.csv', 3, 4)).bytes.toString()).toBe(CSV.slice(3, 7));
    expect((await getBytes('nums', 'a.csv', 20)).bytes.toString()).toBe(CSV.slice(20));
    expect((await getBytes('nums', 'a.csv', 20, 1000)).bytes.toString()).toBe(CSV.slice(20));
    expect((await getBytes('nums', 'a.csv', CSV.length)).bytes.length).toBe(0);

    expect(await del('nums', 'a.csv')).toEqual({ deleted: true });
    await expectStatus(
      stat('nums', 'a.csv'),
      grpc.status.NOT_FOUND,
      /nums\/a\.csv not found.*pushdown ls nums/,
    );
  });

  it('streams large objects in chunks of at most 1 MiB', async () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => `${i},row-${i}`).join('\n');
    const body = Buffer.from(`id,name\n${rows}\n`);
    expect(body.length).toBeGreaterThan(2 * 1024 * 1024);
    const parts = [
      body.subarray(0, 1_000_000),
      body.subarray(1_000_000, 2_000_000),
      body.subarray(2_000_000),
    ];
    const info = await putCall(client, { table: 'big', name: 'b.csv', size: body.length }, parts);
    expect(info.numRows).toBe(150_000);
    const { chunks, bytes } = await getBytes('big', 'b.csv');
    expect(bytes.equals(body)).toBe(true);
    expect(chunks.length).toBe(Math.ceil(body.length / (1024 * 1024)));
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(1024 * 1024);
    await del('big', 'b.csv');
  });

  describe('errors carry exact status codes and leave nothing behind', () => {
    afterEach(async () => {
      expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    });

    it('NOT_FOUND for stat, get and delete of a missing object', async () => {
      await expectStatus(stat('t', 'missing.csv'), grpc.status.NOT_FOUND, 'object t/missing.csv not found');
      await expectStatus(del('t', 'missing.csv'), grpc.status.NOT_FOUND);
      await expectStatus(getBytes('t', 'missing.csv'), grpc.status.NOT_FOUND);
    });

    it('INVALID_ARGUMENT for bad names, a bad format, an offset past the end', async () => {
      await expectStatus(
        stat('../etc', 'passwd'),
        grpc.status.INVALID_ARGUMENT,
        /table name "..\/etc" is not allowed/,
      );
      await expectStatus(stat('t', ''), grpc.status.INVALID_ARGUMENT, 'object name is empty');
      await expectStatus(list('a/b'), grpc.status.INVALID_ARGUMENT);
      await expectStatus(
        putCall(client, { table: 't', name: 'x.txt' }, [Buffer.from(CSV)]),
        grpc.status.INVALID_ARGUMENT,
        /format/,
      );
      await putCall(client, { table: 't', name: 'o.csv' }, [Buffer.from(CSV)]);
      await expectStatus(getBytes('t', 'o.csv', 1000), grpc.status.INVALID_ARGUMENT, /past the end/);
      await del('t', 'o.csv');
    });

    it('INVALID_ARGUMENT for a chunk before the header, a second header, no header', async () => {
      const raw = (messages: object[]) =>
        new Promise((resolve, reject) => {
          const call = client.putObject((err, res) => (err ? reject(err) : resolve(res)));
          for (const m of messages) call.write(m);
          call.end();
        });
      await expectStatus(
        raw([{ chunk: Buffer.from('x') }]),
        grpc.status.INVALID_ARGUMENT,
        'chunk before its header',
      );
      await expectStatus(
        raw([
          { header: { table: 't', name: 'h.csv' } },
          { chunk: Buffer.from(CSV) },
          { header: { table: 't', name: 'h.csv' } },
        ]),
        grpc.status.INVALID_ARGUMENT,
        'second header',
      );
      await expectStatus(raw([]), grpc.status.INVALID_ARGUMENT, 'ended before its header');
      await expectStatus(
        raw([{ header: { table: 't', name: 'h.csv', schemaJson: '[{"name":"id","type":"decimal"}]' } }]),
        grpc.status.INVALID_ARGUMENT,
        /unknown type "decimal"/,
      );
      await expectStatus(stat('t', 'h.csv'), grpc.status.NOT_FOUND);
    });

    it('ALREADY_EXISTS without overwrite', async () => {
      await putCall(client, { table: 't', name: 'e.csv' }, [Buffer.from(CSV)]);
      await expectStatus(
        putCall(client, { table: 't', name: 'e.csv' }, [Buffer.from(CSV)]),
        grpc.status.ALREADY_EXISTS,
      );
      const again = await putCall(client, { table: 't', name: 'e.csv', overwrite: true }, [
        Buffer.from('id\n9\n'),
      ]);
      expect(again.numRows).toBe(1);
      await del('t', 'e.csv');
    });

    it('DATA_LOSS for a corrupt Parquet object', async () => {
      const fake = Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(100, 1), Buffer.from('PAR1')]);
      await expectStatus(putCall(client, { table: 't', name: 'c.parquet' }, [fake]), grpc.status.DATA_LOSS);
      await expectStatus(stat('t', 'c.parquet'), grpc.status.NOT_FOUND);
    });

    it('INVALID_ARGUMENT for a SHA-256 mismatch', async () => {
      await expectStatus(
        putCall(client, { table: 't', name: 's.csv', sha256: sha('something else') }, [Buffer.from(CSV)]),
        grpc.status.INVALID_ARGUMENT,
        /SHA-256 mismatch/,
      );
      await expectStatus(stat('t', 's.csv'), grpc.status.NOT_FOUND);
    });

    it('RESOURCE_EXHAUSTED past the size limit, announced or streamed', async () => {
      await expectStatus(
        putCall(client, { table: 't', name: 'big.csv', size: 5 * 1024 * 1024 }, []),
        grpc.status.RESOURCE_EXHAUSTED,
        /larger than this node's limit of 4194304 bytes/,
      );
      const mib = Buffer.alloc(1024 * 1024, 'a');
      await expectStatus(
        putCall(client, { table: 't', name: 'big.csv' }, [mib, mib, mib, mib, mib]),
        grpc.status.RESOURCE_EXHAUSTED,
      );
    });

    it('removes the temp file when the client cancels a put midway', async () => {
      const done = new Promise<grpc.ServiceError>((resolve) => {
        const call = client.putObject((err) => resolve(err as grpc.ServiceError));
        call.write({ header: { table: 't', name: 'cancelled.csv' } });
        call.write({ chunk: Buffer.from('id,name\n1,a\n') });
        void eventually(async () => (await readdir(join(dir, 'tmp'))).length > 0).then(() => call.cancel());
      });
      expect((await done).code).toBe(grpc.status.CANCELLED);
      await eventually(async () => (await readdir(join(dir, 'tmp'))).length === 0);
      expect((await filesUnder(dir)).filter((f) => f.includes('cancelled'))).toEqual([]);
      await expectStatus(stat('t', 'cancelled.csv'), grpc.status.NOT_FOUND);
    });
  });
});
