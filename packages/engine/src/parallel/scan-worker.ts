/**
 * The worker side of a ScanPool (piscina runs this file, compiled, in each thread). It adopts
 * the operator modules the pool's owner compiled (no compile per thread or per task), keeps a
 * few open object readers across tasks (footer and CSV layout read once per object), and runs
 * one unit or one CSV split census per task. Errors go back flattened, never thrown through
 * piscina, so their class and code survive.
 */
import { open } from 'node:fs/promises';
import { threadId, workerData } from 'node:worker_threads';
import { serializeError } from '@pushdown/proto';
import { runUnit } from '../exec/run-unit.js';
import type { ObjectFormat } from '../plan/fragment.js';
import type { Schema } from '../plan/types.js';
import { adoptCsvModule } from '../readers/csv-wasm.js';
import { openFileBlob } from '../readers/file-blob.js';
import type { ObjectReader } from '../readers/object-reader.js';
import { openObject, type OpenObjectOptions } from '../readers/open-object.js';
import { adoptOperatorModule } from '../wasm/module-loader.js';
import type { ObjectSource, UnitReply, WorkerInit, WorkerTask } from './protocol.js';
import { runCsvGridUnit } from './csv-grid-task.js';
import { attachWatchdog, setWatchedTask } from './watchdog-guard.js';
import { syncWorkerPlugins } from './worker-plugins.js';

const init = workerData as WorkerInit | undefined;
for (const [name, module] of Object.entries(init?.operatorModules ?? {})) adoptOperatorModule(name, module);
if (init?.csvModule) adoptCsvModule(init.csvModule);
if (init?.watchdog) attachWatchdog(init.watchdog, threadId);

const MAX_OPEN = 4;
const blobs = new Map<string, Promise<Blob>>();
const readers = new Map<string, ObjectReader>();

function blobOf(source: ObjectSource): Promise<Blob> {
  let b = blobs.get(source.key);
  if (!b) {
    // Shared bytes become one Blob per worker and object (Blob copies its parts), not per task.
    b = source.kind === 'file' ? openFileBlob(source.path) : Promise.resolve(sharedBlob(source.bytes));
    remember(blobs, source.key, b);
  }
  return b;
}

async function readerOf(
  source: ObjectSource,
  format: ObjectFormat,
  schema: Schema,
  options: OpenObjectOptions,
): Promise<ObjectReader> {
  const key = `${source.key}\0${format}\0${JSON.stringify(schema)}\0${JSON.stringify(options)}`;
  let r = readers.get(key);
  if (!r) {
    r = openObject(await blobOf(source), format, schema, options);
    remember(readers, key, r);
  }
  return r;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > MAX_OPEN) map.delete(map.keys().next().value!);
}

/** A Blob of shared bytes. */
function sharedBlob(bytes: SharedArrayBuffer): Blob {
  return new Blob([new Uint8Array(bytes)]);
}

/**
 * Bytes [start, end) of the object: shared bytes in place; a file by one positioned read (a
 * file-backed Blob's reader costs several times more, see file-blob.ts).
 */
async function readRange(source: ObjectSource, start: number, end: number): Promise<Uint8Array> {
  if (source.kind === 'bytes') return new Uint8Array(source.bytes, start, end - start);
  const fh = await open(source.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(end - start);
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return buf.subarray(0, off);
  } finally {
    await fh.close();
  }
}

export default async function handle(task: WorkerTask): Promise<UnitReply> {
  try {
    if (task.crashForTest) setTimeout(() => process.exit(70), 5);
    setWatchedTask(task.watchId ?? 0);
    syncWorkerPlugins(task.plugins);
    const reader = await readerOf(task.source, task.fragment.format, task.fragment.schema, task.reader ?? {});
    const r =
      'csv' in task.unit
        ? await runCsvGridUnit(
            task.fragment,
            reader,
            task.unit.csv,
            (start, end) => readRange(task.source, start, end),
            (await blobOf(task.source)).size,
            task.batchRows,
          )
        : await runUnit(task.fragment, reader, {
            ...('rowGroups' in task.unit ? { rowGroups: task.unit.rowGroups } : {}),
            ...(task.batchRows !== undefined ? { batchRows: task.batchRows } : {}),
          });
    if (task.crashForTest) await new Promise((resolve) => setTimeout(resolve, 1000));
    return { ok: true, value: { ...r, threadId } };
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}
