/**
 * Link emulation on both paths out of a base node: the HTTP object API and the gRPC Scan
 * stream. Rates and delays are wall-clock measurements on a shared machine, so the side the
 * emulation guarantees (never faster than the link, never less delay than configured) is
 * asserted strictly and the other side with margin.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBaseNode, TokenBucket, LinkThrottle, type BaseNodeHandle } from '@pushdown/base-node';
import { createBaseNodeClient, type BaseNodeClient } from '@pushdown/proto';
import { collect, duck, makeTempDir, putCall, removeDir } from './helpers.js';

const ROWS = 150_000;
const SELECT = `SELECT range AS k, (range % 7)::INTEGER AS g, (range * 1.5)::DOUBLE AS v, 'name-' || range AS s FROM range(${ROWS})`;
const MBPS = 40; // 5 MB/s: a 4 MB body takes ~0.8 s
const RATE = (MBPS * 1e6) / 8;
const LATENCY_MS = 100;

describe('token bucket', () => {
  it('lets a burst through, then paces at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ rate: 1000, burst: 100, now: () => now });
    expect(bucket.reserve(100)).toBe(0);
    expect(bucket.reserve(500)).toBe(500); // 500 bytes of debt at 1000 B/s
    now = 2000; // refills to the burst, not beyond
    expect(bucket.reserve(100)).toBe(2000);
    expect(bucket.reserve(1)).toBeCloseTo(2001, 5);
  });
});

describe('link stream', () => {
  it('delivers in order, each message latencyMs after it left, pipelined', async () => {
    const link = new LinkThrottle({ latencyMs: 50, bandwidthBytesPerSec: 0 });
    const stream = link.stream();
    const t0 = performance.now();
    const got: [number, number][] = [];
    for (let i = 0; i < 5; i++) await stream.send(10, () => got.push([i, performance.now() - t0]));
    expect(performance.now() - t0).toBeLessThan(40); // the sender is not held up by latency
    await stream.drain();
    expect(got.map(([i]) => i)).toEqual([0, 1, 2, 3, 4]);
    for (const [, t] of got) expect(t).toBeGreaterThanOrEqual(50); // never early
    expect(got.at(-1)![1]).toBeLessThan(50 + 150); // pipelined: not 5 x 50 ms
  });
});

describe('link emulation on a base node', () => {
  let dir: string;
  let csv: Buffer;
  let parquet: Buffer;
  let schema: unknown;

  beforeAll(async () => {
    dir = await makeTempDir('link');
    await duck(
      `COPY (${SELECT}) TO '${join(dir, 'x.csv')}' (FORMAT csv, HEADER)`,
      `COPY (${SELECT}) TO '${join(dir, 'x.parquet')}' (FORMAT parquet)`,
    );
    csv = await readFile(join(dir, 'x.csv'));
    parquet = await readFile(join(dir, 'x.parquet'));
  }, 30_000);
  afterAll(() => removeDir(dir));

  async function withNode<T>(
    name: string,
    link: { linkLatencyMs?: number; linkBandwidthMbps?: number },
    fn: (node: BaseNodeHandle, client: BaseNodeClient) => Promise<T>,
  ): Promise<T> {
    const node = await startBaseNode({ nodeId: name, dataDir: join(dir, name), ...link });
    const client = createBaseNodeClient(node.grpcAddress);
    try {
      await putCall(client, { table: 't', name: 'x.csv' }, [csv]);
      const info = await putCall(client, { table: 't', name: 'x.parquet' }, [parquet]);
      schema = JSON.parse(info.schemaJson);
      return await fn(node, client);
    } finally {
      client.close();
      await node.close(100);
    }
  }

  const timeGet = async (node: BaseNodeHandle, object: string) => {
    const t0 = performance.now();
    const res = await fetch(`${node.httpUrl}/objects/t/${object}`);
    const body = Buffer.from(await res.arrayBuffer());
    return { ms: performance.now() - t0, bytes: body.length };
  };

  const timeScan = async (client: BaseNodeClient, columns: string[]) => {
    const fragment = {
      version: 1,
      table: 't',
      object: 'x.parquet',
      format: 'parquet',
      schema,
      columns,
      filter: null,
      project: null,
      aggregate: null,
      limit: null,
      rowGroups: null,
    };
    const t0 = performance.now();
    const messages = await collect(client.scan({ fragmentJson: JSON.stringify(fragment), queryId: 'link' }));
    const ms = performance.now() - t0;
    const stats = messages.at(-1)!.stats!;
    return { ms, bytes: Number(stats.bytesOut), messages: messages.length };
  };

  it('caps the HTTP object API and the Scan stream at the bandwidth (within 10%)', async () => {
    // Unlimited, the same transfers take `base` ms: a loaded machine may make that the bound.
    const base = await withNode('fast', {}, async (node, client) => ({
      get: (await timeGet(node, 'x.csv')).ms,
      scan: (await timeScan(client, ['k', 'g', 'v', 's'])).ms,
    }));
    await withNode('bw', { linkBandwidthMbps: MBPS }, async (node, client) => {
      const get = await timeGet(node, 'x.csv');
      expect(get.bytes).toBeGreaterThan(3_000_000);
      // Never faster than the link (10% for the bucket's burst and timer slack) ...
      expect(get.bytes / (get.ms / 1000)).toBeLessThanOrEqual(RATE * 1.1);
      // ... and not much slower than the link or the unlimited run, whichever is slower.
      expect(get.ms).toBeLessThan(Math.max((get.bytes / RATE) * 1000 * 1.1, base.get) + 200);

      const scan = await timeScan(client, ['k', 'g', 'v', 's']);
      expect(scan.bytes).toBeGreaterThan(3_000_000);
      expect(scan.bytes / (scan.ms / 1000)).toBeLessThanOrEqual(RATE * 1.1);
      expect(scan.ms).toBeLessThan((scan.bytes / RATE) * 1000 * 1.1 + base.scan + 200);
    });
  }, 30_000);

  it('adds the latency to HTTP bodies and Scan messages (within 10%)', async () => {
    // The same requests against a node without emulation are the baseline.
    const base = await withNode('nolink', {}, async (node, client) => ({
      get: (await timeGet(node, 'x.csv')).ms,
      scan: (await timeScan(client, ['g'])).ms,
    }));
    await withNode('lat', { linkLatencyMs: LATENCY_MS }, async (node, client) => {
      const get = await timeGet(node, 'x.csv');
      // Chunks are pipelined: the whole body is late by one latency, not one per chunk.
      expect(get.ms).toBeGreaterThanOrEqual(LATENCY_MS * 0.9);
      expect(get.ms - base.get).toBeLessThan(LATENCY_MS * 1.1 + 150);
      const scan = await timeScan(client, ['g']);
      expect(scan.ms).toBeGreaterThanOrEqual(LATENCY_MS);
      expect(scan.ms - base.scan).toBeLessThan(LATENCY_MS * 1.1 + 150);
    });
  }, 30_000);
});
