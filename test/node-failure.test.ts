/**
 * A base node that dies: mid-query (SIGKILL while the result is streaming) and before a query.
 * Either way the one query ends with UNAVAILABLE naming the node, and the intermediary goes on
 * serving tables whose objects live on the surviving node.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectBytes, generateTable } from '@pushdown/cli';
import { serversBuilt, startCluster, type Cluster } from './support/cluster.js';
import { grpcFailure } from './support/errors.js';

const describeIfBuilt = serversBuilt() ? describe : describe.skip;

describeIfBuilt('a base node dies', () => {
  let dir: string;
  let cluster: Cluster;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pushdown-node-failure-'));
    const gen = await generateTable({
      table: 'lineitem',
      sf: 0.01,
      formats: ['parquet'],
      parts: 4,
      outDir: dir,
    });
    cluster = await startCluster(2);
    // `doomed` lives on b1 only, `survivor` on b2 only.
    await cluster.loadOn(
      'b1',
      'doomed',
      gen.files.map((f) => f.path),
    );
    await cluster.loadOn(
      'b2',
      'survivor',
      gen.files.slice(0, 1).map((f) => f.path),
    );
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('mid-query: the query fails with UNAVAILABLE naming the node; others go on', async () => {
    const b1 = cluster.topology.state.processes.find((p) => p.id === 'b1')!;
    // One fragment at a time, so the later fragments are still to run when b1 dies.
    const result = cluster.client.query('SELECT * FROM doomed', {
      placement: 'pushdown',
      format: 'csv',
      maxConcurrency: 1,
    });
    const failure = grpcFailure(
      (async () => {
        let killed = false;
        for await (const _chunk of result.chunks) {
          if (!killed) {
            process.kill(b1.pid, 'SIGKILL');
            killed = true;
          }
        }
        return result.stats;
      })(),
    );
    const f = await failure;
    expect(f.status).toBe('UNAVAILABLE');
    expect(f.message).toMatch(/b1/);

    const text = Buffer.from(
      await collectBytes(
        cluster.client.query('SELECT count(*) AS n FROM survivor', { format: 'json' }).chunks,
      ),
    ).toString();
    expect(JSON.parse(text).n).toBeGreaterThan(1000);
  });

  it('already down: UNAVAILABLE at once, with the address', async () => {
    const f = await grpcFailure(
      collectBytes(cluster.client.query('SELECT count(*) FROM doomed', { format: 'json' }).chunks),
    );
    expect(f.status).toBe('UNAVAILABLE');
    expect(f.message).toMatch(/b1/);
    expect(f.message).toMatch(/127\.0\.0\.1:\d+/);
  });
});
