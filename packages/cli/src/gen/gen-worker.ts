/**
 * A generator worker thread: encodes the row groups it is handed with the same RowGroupEncoder
 * the main thread uses with one thread (row-group-encoder.ts), so a group's bytes cannot depend
 * on which thread made them. Buffers go back transferred: a row group is never copied twice.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '@pushdown/proto';
import type { FromGenWorker, GenWorkerInit, ToGenWorker } from './gen-protocol.js';
import { RowGroupEncoder } from './row-group-encoder.js';
import { getTable } from './table-registry.js';

const { options } = workerData as GenWorkerInit;
const port = parentPort!;
const encoder = new RowGroupEncoder(getTable(options.table), options);

port.on('message', (m: ToGenWorker) => {
  let reply: FromGenWorker;
  const transfer: ArrayBuffer[] = [];
  try {
    const group = encoder.encode(m.job);
    for (const bytes of [group.parquet, group.csv]) if (bytes) transfer.push(bytes.buffer as ArrayBuffer);
    reply = { type: 'group', group };
  } catch (err) {
    reply = { type: 'error', seq: m.job.seq, error: serializeError(err) };
  }
  port.postMessage(reply, transfer);
});
