import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent } from 'undici';
import type { BaseNodeHandle } from '@pushdown/base-node';
import { MemoryBudget } from '@pushdown/intermediary';
import { BaseNodeRegistry } from '../src/catalog/base-node-registry.js';
import { IntermediaryCatalog } from '../src/catalog/catalog.js';
import { pullObject } from '../src/fanout/object-pull.js';
import { makeTempDir, openDuck, putFile, removeDir, startNode } from './topology.js';

describe('pullObject (the no-pushdown transfer)', () => {
  let dir: string;
  let node: BaseNodeHandle;
  let registry: BaseNodeRegistry;
  let catalog: IntermediaryCatalog;
  let bytes: Buffer;
  const dispatcher = new Agent();

  beforeAll(async () => {
    dir = await makeTempDir('pull');
    const duck = await openDuck();
    await duck.conn.run(
      `COPY (SELECT range AS k, 'v' || range AS s FROM range(3000)) TO '${join(dir, 'o.csv')}' (FORMAT csv, HEADER)`,
    );
    duck.close();
    bytes = await readFile(join(dir, 'o.csv'));
    node = await startNode('p1', dir);
    await putFile(node, 't', 'o.csv', join(dir, 'o.csv'));
    registry = new BaseNodeRegistry([{ id: 'p1', grpcAddress: node.grpcAddress }]);
    catalog = new IntermediaryCatalog(registry, { refreshMs: 0, timeoutMs: 2000, logger: () => {} });
    await catalog.refresh();
  });

  afterAll(async () => {
    registry.close();
    await dispatcher.close();
    await node.close(500);
    await removeDir(dir);
  });

  const object = () => catalog.table('t')!.objects[0]!;

  test('small objects come into memory under one reservation, in ranges', async () => {
    const budget = new MemoryBudget(bytes.length * 4);
    const pulled = await pullObject(registry.get('p1')!, object(), {
      signal: new AbortController().signal,
      budget,
      rangeBytes: 1000,
      dispatcher,
      spoolDir: dir,
    });
    expect(pulled.bytes).toBe(bytes.length);
    expect(Buffer.from(await pulled.blob.arrayBuffer()).equals(bytes)).toBe(true);
    expect(budget.used).toBe(bytes.length);
    await pulled.release();
    expect(budget.used).toBe(0);
  });

  test('objects over half the budget are spooled to disk, one range reservation at a time', async () => {
    const spool = join(dir, 'spool');
    await (await import('node:fs/promises')).mkdir(spool);
    const budget = new MemoryBudget(bytes.length);
    const pulled = await pullObject(registry.get('p1')!, object(), {
      signal: new AbortController().signal,
      budget,
      rangeBytes: 4096,
      dispatcher,
      spoolDir: spool,
    });
    expect(budget.peak).toBe(4096);
    expect(budget.used).toBe(0);
    expect(await readdir(spool)).toHaveLength(1);
    expect(Buffer.from(await pulled.blob.arrayBuffer()).equals(bytes)).toBe(true);
    await pulled.release();
    expect(await readdir(spool)).toHaveLength(0);
  });
});
