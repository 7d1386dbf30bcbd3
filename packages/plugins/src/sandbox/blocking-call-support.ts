/**
 * Small pieces the blocking sandbox (blocking-call.ts) needs beside its main class: where its
 * worker's compiled file is, and how an error answer is read back from the shared buffer.
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { PluginError, type PushdownError, type SerializedError } from '@pushdown/proto';
import { reviveError } from './sandbox-errors.js';

/**
 * dist/sandbox/blocking-call-worker.js beside this file, or in the package's dist when this is
 * the source (under jest): workers load compiled JavaScript, so tests run after `npx tsc -b`.
 */
export function blockingWorkerFile(): string {
  const here = import.meta.dirname;
  const srcPart = `${sep}src${sep}sandbox`;
  const dir = here.endsWith(srcPart) ? here.slice(0, -srcPart.length) + `${sep}dist${sep}sandbox` : here;
  const file = join(dir, 'blocking-call-worker.js');
  if (!existsSync(file)) {
    throw new PluginError(`blocking sandbox worker ${file} is missing`, {
      hint: 'build the plugins package first: npx tsc -b',
    });
  }
  return file;
}

const decoder = new TextDecoder();

/** The error the worker wrote (JSON of a SerializedError), rebuilt into its class. */
export function readAnswerError(u8: Uint8Array, len: number): PushdownError {
  const text = decoder.decode(u8.slice(0, len));
  try {
    return reviveError(JSON.parse(text) as SerializedError);
  } catch (err) {
    // Cut short by a full buffer: still say what came back.
    return new PluginError(
      `the blocking sandbox worker answered an unreadable error: ${text.slice(0, 200)}`,
      {
        cause: err,
      },
    );
  }
}
