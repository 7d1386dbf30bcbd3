/**
 * Streams an object's bytes into a temp file, hashing and counting as they arrive, and fsyncs
 * it. Stops at once when the size limit is passed or the signal aborts; on any failure the
 * temp file is removed before the error propagates.
 */
import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { CancelledError, ResourceExhaustedError } from '@pushdown/proto';

export interface TempWriteResult {
  readonly size: number;
  readonly sha256: string;
}

export interface TempWriteOptions {
  /** Refuse (ResourceExhaustedError) as soon as more than this many bytes arrive. */
  readonly maxBytes: number;
  /** Names the object in error messages, e.g. `lineitem/part-0.parquet`. */
  readonly label: string;
  readonly signal?: AbortSignal | undefined;
}

export async function writeTempFile(
  path: string,
  body: AsyncIterable<Uint8Array>,
  options: TempWriteOptions,
): Promise<TempWriteResult> {
  const hash = createHash('sha256');
  let size = 0;
  const file = await open(path, 'wx');
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await nextOrAbort(iterator, options.signal, options.label);
      if (next.done) break;
      const chunk = next.value;
      size += chunk.byteLength;
      if (size > options.maxBytes) throw tooLarge(options.label, options.maxBytes);
      hash.update(chunk);
      let written = 0;
      while (written < chunk.byteLength) {
        const { bytesWritten } = await file.write(chunk, written, chunk.byteLength - written);
        written += bytesWritten;
      }
    }
    // Durable before anyone can see it: the rename that publishes it comes after this.
    await file.sync();
    return { size, sha256: hash.digest('hex') };
  } catch (err) {
    // Let the producer clean up (a generator's finally), but do not wait on it: it may be stuck.
    void iterator.return?.()?.catch(() => {});
    await file.close().catch(() => {});
    await rm(path, { force: true });
    throw err;
  } finally {
    await file.close().catch(() => {});
  }
}

export function tooLarge(label: string, maxBytes: number): ResourceExhaustedError {
  return new ResourceExhaustedError(`object ${label} is larger than this node's limit of ${maxBytes} bytes`, {
    hint: 'split it into smaller parts or start the node with a larger --max-object-bytes',
  });
}

/** The source's next chunk, or a CancelledError as soon as the signal aborts. */
function nextOrAbort(
  iterator: AsyncIterator<Uint8Array>,
  signal: AbortSignal | undefined,
  label: string,
): Promise<IteratorResult<Uint8Array>> {
  const cancelled = () => new CancelledError(`put of ${label} was cancelled`, { cause: signal?.reason });
  if (!signal) return iterator.next();
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (r) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
