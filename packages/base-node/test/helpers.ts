/** Shared test fixtures: temp dirs, DuckDB-made files, promisified gRPC calls. */
import type * as grpc from '@grpc/grpc-js';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseNodeClient, ObjectInfo__Output, PutObjectHeader } from '@pushdown/proto';

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `pushdown-base-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Files under `<dataDir>/<sub>`, recursively, as relative paths. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name).slice(dir.length + 1));
  }
  return out.sort();
}

/** Runs DuckDB statements (COPY ... TO ...) and returns the rows of the last one. */
export async function duck(...statements: string[]): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    let rows: Record<string, unknown>[] = [];
    for (const sql of statements) rows = (await conn.runAndReadAll(sql)).getRowObjectsJS();
    return rows;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export async function* bytesOf(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

export function unaryCall<Req, Res>(
  fn: (req: Req, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res as Res))));
}

/** Sends a PutObject stream: the header, then the chunks. */
export function putCall(
  client: BaseNodeClient,
  header: PutObjectHeader,
  chunks: Uint8Array[],
): Promise<ObjectInfo__Output> {
  return new Promise((resolve, reject) => {
    const call = client.putObject((err, res) => (err ? reject(err) : resolve(res as ObjectInfo__Output)));
    call.write({ header });
    for (const chunk of chunks) call.write({ chunk });
    call.end();
  });
}

/** Collects a server stream's messages; rejects with its error. */
export function collect<T>(stream: grpc.ClientReadableStream<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const out: T[] = [];
    stream.on('data', (m: T) => out.push(m));
    stream.on('error', reject);
    stream.on('end', () => resolve(out));
  });
}

/** Waits until `check` holds (polling), for effects the server finishes after replying. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
