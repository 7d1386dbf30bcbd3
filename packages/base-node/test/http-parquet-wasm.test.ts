/**
 * parquet-wasm's HTTP reader (used by the intermediary's no-pushdown path) probes objects with
 * HEAD and suffix ranges and aborts the whole process when an answer is off by one. Read a
 * real Parquet object through it, whole and by column.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ParquetFile } from 'parquet-wasm';
import { tableFromIPC } from 'apache-arrow';
import { startBaseNode, type BaseNodeHandle } from '@pushdown/base-node';
import { bytesOf, duck, makeTempDir, removeDir } from './helpers.js';

describe('parquet-wasm reads objects over the HTTP object API', () => {
  let dir: string;
  let node: BaseNodeHandle;

  beforeAll(async () => {
    dir = await makeTempDir('pqhttp');
    const path = join(dir, 'src.parquet');
    await duck(
      `COPY (SELECT range AS k, 'x' || range AS s FROM range(3000)) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
    );
    node = await startBaseNode({ nodeId: 'pq', dataDir: join(dir, 'node') });
    await node.store.put({ table: 't', name: 'p.parquet' }, bytesOf(await readFile(path)));
  });
  afterAll(async () => {
    await node.close();
    await removeDir(dir);
  });

  it('reads metadata and rows through ranges', async () => {
    const file = await ParquetFile.fromUrl(`${node.httpUrl}/objects/t/p.parquet`);
    expect(file.metadata().fileMetadata().numRows()).toBe(3000);
    const groups = file.metadata().numRowGroups();
    expect(groups).toBeGreaterThan(1);
    const last = tableFromIPC((await file.read({ rowGroups: [groups - 1] })).intoIPCStream());
    expect(Number(last.getChild('k')!.get(last.numRows - 1))).toBe(2999);
    const all = tableFromIPC((await file.read({ columns: ['k'] })).intoIPCStream());
    expect(all.numRows).toBe(3000);
    expect(all.schema.fields.map((f) => f.name)).toEqual(['k']);
    expect(node.httpBytesServed()).toBeGreaterThan(0);
  });
});
