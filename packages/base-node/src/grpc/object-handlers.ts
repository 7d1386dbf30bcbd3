/** The unary object RPCs (Capabilities, List, Stat, Delete) and the GetObject stream. */
import { createReadStream } from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import { loadablePluginFormats } from '@pushdown/engine';
import {
  InvalidArgumentError,
  toServiceError,
  type GetObjectRequest__Output,
  type GetObjectResponse,
} from '@pushdown/proto';
import { MAX_CHUNK_BYTES } from '../scan/ipc-encoder.js';
import type { ServiceContext } from './service-context.js';
import { abortOnCancel, writeMessage } from './stream-writes.js';

export const ABI_VERSION = 1;
/** `udf`: fragments may call the scalar-UDF plugins listed in `Capabilities.plugins`. */
export const OPERATORS = ['scan', 'filter', 'project', 'partial_aggregate', 'udf'] as const;
/** Formats the engine reads itself; `readableFormats()` adds those a loadable plugin reads. */
export const FORMATS = ['parquet', 'csv'] as const;

/** What Capabilities lists: the built-in formats, then plugin formats (jsonl) whose plugin loads. */
export function readableFormats(): string[] {
  return [...FORMATS, ...loadablePluginFormats()];
}

/** Wraps an async function as a unary handler; every error goes through toServiceError. */
export function unary<Req, Res>(fn: (request: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    let result: Promise<Res>;
    try {
      result = fn(call.request);
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (res) => callback(null, res),
      (err: unknown) => callback(toServiceError(err)),
    );
  };
}

export function getObjectHandler(
  ctx: ServiceContext,
): grpc.handleServerStreamingCall<GetObjectRequest__Output, GetObjectResponse> {
  return (call) => {
    const controller = abortOnCancel(call);
    streamObject(ctx, call, controller.signal).then(
      () => call.end(),
      (err: unknown) => {
        if (!controller.signal.aborted) call.emit('error', toServiceError(err));
      },
    );
  };
}

async function streamObject(
  ctx: ServiceContext,
  call: grpc.ServerWritableStream<GetObjectRequest__Output, GetObjectResponse>,
  signal: AbortSignal,
): Promise<void> {
  const { table, name } = call.request;
  const offset = Number(call.request.offset);
  const length = Number(call.request.length);
  const { file, size } = await ctx.store.openRead(table, name);
  if (offset > size) {
    await file.close();
    throw new InvalidArgumentError(`offset ${offset} is past the end of ${table}/${name} (${size} bytes)`);
  }
  const end = (length === 0 ? size : Math.min(size, offset + length)) - 1;
  if (end < offset) {
    await file.close();
    return;
  }
  const body = createReadStream('', { fd: file, start: offset, end, highWaterMark: MAX_CHUNK_BYTES });
  // Leaving the loop early (cancel, error) destroys the stream, which closes the file.
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (signal.aborted) break;
    await writeMessage(call, { chunk }, signal);
  }
}
