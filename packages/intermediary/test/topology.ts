/**
 * Test helpers: an in-process topology (two base nodes on port 0, an intermediary in front),
 * data written by DuckDB, a Query client that collects the stream, and DuckDB as the oracle.
 */
import type * as grpc from '@grpc/grpc-js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { startBaseNode, type BaseNodeHandle } from '@pushdown/base-node';
import type { Schema } from '@pushdown/engine';
import {
  createIntermediaryClient,
  type IntermediaryClient,
  type QueryRequest,
  type QueryStats__Output,
} from '@pushdown/proto';

export async function makeTempDir(tag: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `pushdown-im-${tag}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function openDuck(): Promise<{ conn: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  return {
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export async function startNode(id: string, dir: string): Promise<BaseNodeHandle> {
  return startBaseNode({ nodeId: id, dataDir: join(dir, id), grpcPort: 0, httpPort: 0 });
}

export async function putFile(
  node: BaseNodeHandle,
  table: string,
  name: string,
  path: string,
  schema?: Schema,
): Promise<void> {
  const bytes = await readFile(path);
  await node.store.put(
    { table, name, ...(schema ? { schema } : {}) },
    (async function* () {
      yield bytes;
    })(),
  );
}

export interface QueryResult {
  data: Buffer;
  stats: QueryStats__Output;
  chunks: number;
}

export function query(
  client: IntermediaryClient,
  req: QueryRequest,
  options: grpc.CallOptions = {},
): Promise<QueryResult> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let stats: QueryStats__Output | null = null;
    const call = client.query(req, options);
    call.on('data', (msg: { data?: Buffer; stats?: QueryStats__Output | null }) => {
      if (msg.data) parts.push(msg.data);
      if (msg.stats) stats = msg.stats;
    });
    call.on('error', reject);
    call.on('end', () => {
      if (!stats) reject(new Error('stream ended without stats'));
      else resolve({ data: Buffer.concat(parts), stats, chunks: parts.length });
    });
  });
}

export function queryError(client: IntermediaryClient, req: QueryRequest): Promise<grpc.ServiceError> {
  return query(client, req).then(
    () => {
      throw new Error(`expected "${req.sql}" to fail`);
    },
    (err: grpc.ServiceError) => err,
  );
}

export function connect(address: string): IntermediaryClient {
  return createIntermediaryClient(address);
}

/** A comparable form of a value: numbers to 9 significant digits, the rest as is. */
export function canon(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number(v.toPrecision(9));
  if (typeof v === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v))
    return Number(Number(v).toPrecision(9));
  return v;
}

export function canonRows(rows: Record<string, unknown>[]): unknown[][] {
  return rows.map((r) => Object.values(r).map(canon));
}
