/**
 * Runs parquet-wasm in a worker thread. A corrupt page can make parquet-wasm panic inside an
 * async task, where the trap escapes every caller's try/catch (and would kill the process) and
 * leaves the WASM instance unusable. In a worker the trap only ends the worker: the request fails
 * with a CorruptDataError and the next request starts a fresh worker. It also keeps decoding off
 * the thread that serves gRPC.
 *
 * File-backed Blobs cannot be posted to a worker, so the worker gets a stand-in with `size` and
 * `slice(a, b).arrayBuffer()` (all parquet-wasm calls on a Blob) that asks this thread for the
 * byte ranges. Decoded row groups come back as a transferred Arrow IPC stream.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CorruptDataError } from '@pushdown/proto';

export interface DecodeRequest {
  readonly rowGroups: readonly number[];
  readonly columns: readonly string[];
  readonly batchSize: number;
}

type FromWorker =
  | { kind: 'range'; rid: number; start: number; end: number }
  | { kind: 'done'; ipc: Uint8Array }
  | { kind: 'failed'; message: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { ParquetFile } = require(workerData.parquetWasm);
let nextRid = 0;
const waiting = new Map();
parentPort.on('message', async (m) => {
  if (m.kind === 'range') {
    const w = waiting.get(m.rid);
    waiting.delete(m.rid);
    if (m.error) w.reject(new Error(m.error)); else w.resolve(m.bytes);
    return;
  }
  const blobLike = (start, end) => ({
    size: end - start,
    slice: (a, b) => blobLike(start + a, start + Math.min(b ?? end - start, end - start)),
    arrayBuffer: () => new Promise((resolve, reject) => {
      const rid = nextRid++;
      waiting.set(rid, { resolve, reject });
      parentPort.postMessage({ kind: 'range', rid, start, end });
    }),
  });
  let file;
  try {
    file = await ParquetFile.fromFile(blobLike(0, m.size));
    const table = await file.read({ rowGroups: m.rowGroups, columns: m.columns, batchSize: m.batchSize });
    const ipc = table.intoIPCStream();
    parentPort.postMessage({ kind: 'done', ipc }, [ipc.buffer]);
  } catch (e) {
    parentPort.postMessage({ kind: 'failed', message: String((e && e.message) || e) });
  } finally {
    if (file) file.free();
  }
});
`;

let worker: Worker | null = null;
let queue: Promise<unknown> = Promise.resolve();

function getWorker(): Worker {
  if (worker) return worker;
  const parquetWasm = createRequire(join(import.meta.dirname, 'noop.js')).resolve('parquet-wasm');
  worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { parquetWasm } });
  worker.unref();
  return worker;
}

/** Decodes `req.rowGroups` of `blob` to an Arrow IPC stream. Requests run one at a time. */
export function decodeRowGroups(blob: Blob, req: DecodeRequest): Promise<Uint8Array> {
  const run = queue.then(() => decodeNow(blob, req));
  queue = run.catch(() => undefined);
  return run;
}

function decodeNow(blob: Blob, req: DecodeRequest): Promise<Uint8Array> {
  const w = getWorker();
  return new Promise<Uint8Array>((resolve, reject) => {
    const cleanup = (): void => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      w.unref();
    };
    const fail = (message: string): void => {
      cleanup();
      reject(new CorruptDataError(message));
    };
    const onMessage = (m: FromWorker): void => {
      if (m.kind === 'range') {
        blob
          .slice(m.start, m.end)
          .arrayBuffer()
          .then(
            (bytes) => w.postMessage({ kind: 'range', rid: m.rid, bytes: new Uint8Array(bytes) }, [bytes]),
            (e: unknown) => w.postMessage({ kind: 'range', rid: m.rid, error: String(e) }),
          );
      } else if (m.kind === 'done') {
        cleanup();
        resolve(m.ipc);
      } else fail(m.message);
    };
    // A trap inside parquet-wasm: this worker is done for; the next request gets a new one.
    const onError = (e: Error): void => {
      if (worker === w) worker = null;
      void w.terminate();
      fail(`the Parquet decoder crashed (${e.message})`);
    };
    const onExit = (code: number): void => {
      if (worker === w) worker = null;
      fail(`the Parquet decoder exited with code ${code}`);
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.ref();
    w.postMessage({
      kind: 'decode',
      size: blob.size,
      ...req,
      rowGroups: [...req.rowGroups],
      columns: [...req.columns],
    });
  });
}
