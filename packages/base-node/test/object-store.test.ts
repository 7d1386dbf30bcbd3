import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ObjectStore, validateName } from '@pushdown/base-node';
import {
  AlreadyExistsError,
  CancelledError,
  CorruptDataError,
  InvalidArgumentError,
  NotFoundError,
  ResourceExhaustedError,
} from '@pushdown/proto';
import { bytesOf, duck, filesUnder, makeTempDir, removeDir } from './helpers.js';

const CSV = 'id,name,price\n1,apple,1.5\n2,pear,2.25\n3,plum,0.75\n';
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('ObjectStore', () => {
  let dir: string;
  let store: ObjectStore;
  let parquet: Buffer;

  beforeAll(async () => {
    const fixtures = await makeTempDir('fixtures');
    const path = join(fixtures, 'small.parquet');
    await duck(
      `COPY (SELECT range AS id, 'name-' || range AS name FROM range(100)) TO '${path}' (FORMAT parquet)`,
    );
    parquet = await readFile(path);
    await removeDir(fixtures);
  });

  beforeEach(async () => {
    dir = await makeTempDir('store');
    store = await ObjectStore.open({ dataDir: dir, maxObjectBytes: 64 * 1024 });
  });
  afterEach(() => removeDir(dir));

  /** Nothing but committed objects may ever be on disk. */
  const expectOnlyCommitted = async (...names: string[]) => {
    const expected = names.flatMap((n) => [`objects/${n}`, `objects/${n}.meta.json`]).sort();
    expect(await filesUnder(dir)).toEqual(expected);
  };

  it('puts, stats, lists, reads and deletes a CSV object', async () => {
    const meta = await store.put(
      { table: 'fruit', name: 'a.csv' },
      bytesOf('id,name,price\n1,apple,1.5\n', '2,pear,2.25\n3,plum,0.75\n'),
    );
    expect(meta).toMatchObject({
      table: 'fruit',
      name: 'a.csv',
      size: CSV.length,
      sha256: sha(CSV),
      format: 'csv',
      numRows: 3,
    });
    expect(meta.schema.map((f) => [f.name, f.type])).toEqual([
      ['id', 'int64'],
      ['name', 'utf8'],
      ['price', 'float64'],
    ]);
    expect(await store.stat('fruit', 'a.csv')).toEqual(meta);
    expect(await readFile(store.objectPath('fruit', 'a.csv'), 'utf8')).toBe(CSV);
    expect(await store.list()).toEqual([meta]);
    expect(await store.list('fruit')).toEqual([meta]);
    expect(await store.list('other')).toEqual([]);
    await expectOnlyCommitted('fruit/a.csv');

    await store.delete('fruit', 'a.csv');
    await expect(store.stat('fruit', 'a.csv')).rejects.toThrow(NotFoundError);
    expect(await store.list()).toEqual([]);
    await expectOnlyCommitted();
  });

  it('puts a Parquet object with schema and row count from the footer', async () => {
    const meta = await store.put({ table: 't', name: 'p.parquet', sha256: sha(parquet) }, bytesOf(parquet));
    expect(meta).toMatchObject({ format: 'parquet', numRows: 100, size: parquet.length });
    expect(meta.schema.map((f) => f.name)).toEqual(['id', 'name']);
  });

  it('uses a declared CSV schema', async () => {
    const schema = [
      { name: 'id', type: 'int32', nullable: false },
      { name: 'name', type: 'utf8', nullable: true },
      { name: 'price', type: 'float64', nullable: true },
    ] as const;
    const meta = await store.put({ table: 'fruit', name: 'typed.csv', schema }, bytesOf(CSV));
    expect(meta.schema).toEqual(schema);
  });

  it('takes the format from the header over the extension', async () => {
    const meta = await store.put({ table: 't', name: 'data.bin', format: 'csv' }, bytesOf(CSV));
    expect(meta.format).toBe('csv');
    await expect(store.put({ table: 't', name: 'data.txt' }, bytesOf(CSV))).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(store.put({ table: 't', name: 'x.csv', format: 'orc' }, bytesOf(CSV))).rejects.toThrow(
      'unknown object format "orc"',
    );
  });

  it('refuses to replace an object without overwrite, and replaces it with', async () => {
    await store.put({ table: 't', name: 'a.csv' }, bytesOf(CSV));
    await expect(store.put({ table: 't', name: 'a.csv' }, bytesOf(CSV))).rejects.toThrow(AlreadyExistsError);
    const next = 'id\n7\n';
    const meta = await store.put({ table: 't', name: 'a.csv', overwrite: true }, bytesOf(next));
    expect(meta).toMatchObject({ size: next.length, numRows: 1, sha256: sha(next) });
    expect(await readFile(store.objectPath('t', 'a.csv'), 'utf8')).toBe(next);
    await expectOnlyCommitted('t/a.csv');
  });

  it('names the object and suggests pushdown ls when it is missing', async () => {
    for (const op of [
      () => store.stat('lineitem', 'x.parquet'),
      () => store.delete('lineitem', 'x.parquet'),
    ]) {
      await expect(op()).rejects.toThrow(NotFoundError);
      await expect(op()).rejects.toThrow(
        'object lineitem/x.parquet not found on this node (run "pushdown ls lineitem"',
      );
    }
    await expect(store.openRead('lineitem', 'x.parquet')).rejects.toThrow(NotFoundError);
  });

  describe('atomicity: a failed put leaves nothing behind', () => {
    it('when the source stream errors midway', async () => {
      async function* broken() {
        yield Buffer.from('id,name\n1,a\n');
        throw new Error('connection reset');
      }
      await expect(store.put({ table: 't', name: 'a.csv' }, broken())).rejects.toThrow('connection reset');
      await expectOnlyCommitted();
    });

    it('when the put is cancelled midway (even if the source hangs)', async () => {
      const controller = new AbortController();
      async function* hanging() {
        yield Buffer.from('id,name\n1,a\n');
        controller.abort();
        await new Promise(() => {});
      }
      await expect(
        store.put({ table: 't', name: 'a.csv' }, hanging(), { signal: controller.signal }),
      ).rejects.toThrow(CancelledError);
      await expectOnlyCommitted();
    });

    it('when the Parquet bytes are corrupt (DATA_LOSS)', async () => {
      const corrupt = Buffer.from(parquet);
      // Zero the whole footer (Thrift FileMetaData) but keep its length and the magic bytes.
      const footerLength = corrupt.readUInt32LE(corrupt.length - 8);
      corrupt.fill(0, corrupt.length - 8 - footerLength, corrupt.length - 8);
      await expect(store.put({ table: 't', name: 'bad.parquet' }, bytesOf(corrupt))).rejects.toThrow(
        CorruptDataError,
      );
      await expect(
        store.put({ table: 't', name: 'bad2.parquet' }, bytesOf('not parquet at all')),
      ).rejects.toThrow(CorruptDataError);
      await expectOnlyCommitted();
    });

    it('when the SHA-256 does not match (INVALID_ARGUMENT)', async () => {
      await expect(
        store.put({ table: 't', name: 'a.csv', sha256: sha('other') }, bytesOf(CSV)),
      ).rejects.toThrow(/SHA-256 mismatch/);
      await expect(store.put({ table: 't', name: 'a.csv', sha256: 'xyz' }, bytesOf(CSV))).rejects.toThrow(
        InvalidArgumentError,
      );
      await expectOnlyCommitted();
    });

    it('when the object is larger than the limit (RESOURCE_EXHAUSTED), as soon as it is', async () => {
      let chunksPulled = 0;
      async function* big() {
        for (let i = 0; i < 1000; i++) {
          chunksPulled++;
          yield Buffer.alloc(16 * 1024, 65);
        }
      }
      await expect(store.put({ table: 't', name: 'big.csv' }, big())).rejects.toThrow(ResourceExhaustedError);
      expect(chunksPulled).toBe(5); // 64 KiB limit: the fifth 16 KiB chunk passes it
      await expect(store.put({ table: 't', name: 'big.csv', size: 1e9 }, big())).rejects.toThrow(
        ResourceExhaustedError,
      );
      await expectOnlyCommitted();
    });
  });

  it('cleans leftovers of interrupted puts on open', async () => {
    await store.put({ table: 't', name: 'keep.csv' }, bytesOf(CSV));
    await writeFile(join(dir, 'tmp', 'crashed.part'), 'half an object');
    await mkdir(join(dir, 'objects', 't'), { recursive: true });
    await writeFile(join(dir, 'objects', 't', 'orphan.csv'), 'no sidecar was renamed');
    await ObjectStore.open({ dataDir: dir });
    await expectOnlyCommitted('t/keep.csv');
  });

  describe('names', () => {
    it.each(['lineitem', 'part-0.parquet', 'A_b.c-d', 'x'.repeat(200)])('accepts %s', (name) => {
      expect(validateName('object', name)).toBe(name);
    });
    it.each(['', '.', '..', 'a/b', '../etc', 'a..b', 'a b', 'a\\b', 'x'.repeat(201), 'é', 'a.meta.json'])(
      'refuses %j',
      async (name) => {
        expect(() => validateName('object', name)).toThrow(InvalidArgumentError);
        await expect(store.put({ table: 't', name, format: 'csv' }, bytesOf(CSV))).rejects.toThrow(
          InvalidArgumentError,
        );
        // Tables may end in .meta.json: only object names share a folder with sidecars.
        if (name !== 'a.meta.json')
          await expect(store.stat(name, 'a.csv')).rejects.toThrow(InvalidArgumentError);
      },
    );
  });
});
