/**
 * The no-pushdown transfer: an object's raw bytes pulled from its base node's HTTP object API
 * (`GET /objects/{table}/{name}` with Range) in ranges of `rangeBytes`, every byte counted.
 *
 * Memory: an object up to half the query's memory budget is pulled into memory under a
 * reservation of its size, held until the fragment is done with it. A larger object is spooled
 * to a temporary file, one range reservation at a time, and read back as a file-backed Blob;
 * so no object is too large to pull, and memory stays within the budget.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, type Dispatcher } from 'undici';
import { ExecutionError, NotFoundError, UnavailableError } from '@pushdown/proto';
import { describeNode, httpUrlOf, type BaseNodeState } from '../catalog/base-node-registry.js';
import type { CatalogObject } from '../catalog/catalog.js';
import type { MemoryBudget } from './memory-budget.js';
import { nodeDown, nodeFailure } from './node-errors.js';
import { openFileBlob } from '@pushdown/engine';

export interface ObjectPullOptions {
  readonly signal: AbortSignal;
  readonly budget: MemoryBudget;
  readonly rangeBytes: number;
  readonly dispatcher: Dispatcher;
  /** Where large objects are spooled; null = the OS temp dir. */
  readonly spoolDir: string | null;
  /** Worker threads the scan of the pulled object may use (pull-scan.ts). */
  readonly parallelism?: number;
}

export interface PulledObject {
  readonly blob: Blob;
  /** Bytes received over HTTP. */
  readonly bytes: number;
  /** Gives back the memory reservation and removes any spool file. */
  release(): Promise<void>;
}

export async function pullObject(
  node: BaseNodeState,
  object: CatalogObject,
  options: ObjectPullOptions,
): Promise<PulledObject> {
  const what = `the pull of ${object.table}/${object.name}`;
  if (node.status === 'down') throw nodeDown(node, what);
  const base = httpUrlOf(node);
  if (!base)
    throw new UnavailableError(`${describeNode(node)} has not reported an HTTP object API (http_url)`);
  const url = `${base}/objects/${encodeURIComponent(object.table)}/${encodeURIComponent(object.name)}`;
  const { budget, signal } = options;
  const fetchRange = (start: number, end: number, started: boolean) =>
    getRange(url, start, end, options, node, what, started);

  if (object.size <= budget.limit / 2) {
    await budget.acquire(object.size, signal, `pulling ${object.table}/${object.name}`);
    try {
      const parts: Uint8Array[] = [];
      let got = 0;
      while (got < object.size) {
        const end = Math.min(object.size, got + options.rangeBytes);
        for (const c of await fetchRange(got, end, got > 0)) {
          parts.push(c);
          got += c.byteLength;
        }
      }
      const blob = new Blob(parts);
      return { blob, bytes: got, release: async () => budget.release(object.size) };
    } catch (err) {
      budget.release(object.size);
      throw err;
    }
  }

  const dir = await mkdtemp(join(options.spoolDir ?? tmpdir(), 'pushdown-pull-'));
  const path = join(dir, 'object');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const fh = await open(path, 'w');
    let got = 0;
    try {
      while (got < object.size) {
        const end = Math.min(object.size, got + options.rangeBytes);
        const reserved = end - got;
        await budget.acquire(reserved, signal, `a range of ${object.table}/${object.name}`);
        try {
          for (const c of await fetchRange(got, end, got > 0)) {
            await fh.write(c);
            got += c.byteLength;
          }
        } finally {
          budget.release(reserved);
        }
      }
    } finally {
      await fh.close();
    }
    const blob = await openFileBlob(path);
    return { blob, bytes: got, release: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function getRange(
  url: string,
  start: number,
  end: number,
  options: ObjectPullOptions,
  node: BaseNodeState,
  what: string,
  started: boolean,
): Promise<Uint8Array[]> {
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, {
      method: 'GET',
      headers: { range: `bytes=${start}-${end - 1}` },
      signal: options.signal,
      dispatcher: options.dispatcher,
    });
  } catch (err) {
    if (options.signal.aborted) throw options.signal.reason;
    throw nodeFailure(err, node, what, started);
  }
  if (res.statusCode !== 206 && !(res.statusCode === 200 && start === 0)) {
    const body = (await res.body.text().catch(() => '')).slice(0, 500);
    const detail = `HTTP ${res.statusCode} for ${url}${body ? `: ${body}` : ''}`;
    if (res.statusCode === 404) {
      throw new NotFoundError(`${what} failed: ${describeNode(node)} no longer has the object (${detail})`, {
        hint: 'the object was deleted or replaced after the catalog was read; the catalog is re-read, run the query again',
      });
    }
    if (res.statusCode === 503)
      throw new UnavailableError(`${describeNode(node)} refused ${what}: ${detail}`);
    throw new ExecutionError(`${describeNode(node)} failed ${what}: ${detail}`);
  }
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    for await (const chunk of res.body) {
      parts.push(chunk as Buffer);
      n += (chunk as Buffer).byteLength;
    }
  } catch (err) {
    if (options.signal.aborted) throw options.signal.reason;
    throw nodeFailure(err, node, what, true);
  }
  // 200 means the server ignored Range and sent the whole object (we only accept it at offset 0).
  if ((res.statusCode === 206 && n !== end - start) || n === 0) {
    throw new ExecutionError(
      `${describeNode(node)} sent ${n} bytes for bytes ${start}-${end - 1} in ${what}; the object changed while it was read`,
      { hint: 'run the query again' },
    );
  }
  return parts;
}
