/**
 * A generator worker thread: writes the parts it is handed with the same PartWriter the main
 * thread uses (write-part.ts), so a part's files are the same bytes whichever thread made them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '@pushdown/proto';
import type { FromGenWorker, GenWorkerInit, ToGenWorker } from './gen-protocol.js';
import { getTable } from './table-registry.js';
import { partWriter } from './write-part.js';

const { options } = workerData as GenWorkerInit;
const port = parentPort!;
const writer = partWriter(getTable(options.table), options);
let abort = new AbortController();

const send = (m: FromGenWorker): void => port.postMessage(m);

port.on('message', (m: ToGenWorker) => {
  if (m.type === 'abort') {
    abort.abort();
    return;
  }
  abort = new AbortController();
  writer
    .write(m.range, (rows) => send({ type: 'rows', rows }), abort.signal)
    .then(
      (files) => send({ type: 'done', files }),
      (err: unknown) => send({ type: 'error', error: serializeError(err) }),
    );
});
