/**
 * PutObject: a client stream of one header, then chunks. The order is checked as messages
 * arrive (a chunk before the header, a second header, an empty stream are INVALID_ARGUMENT)
 * and the bytes go straight to the store, which publishes the object atomically or not at all.
 * A client cancel aborts the put and the store removes its temp file.
 */
import type * as grpc from '@grpc/grpc-js';
import {
  InvalidArgumentError,
  toServiceError,
  type ObjectInfo,
  type PutObjectHeader__Output,
  type PutObjectRequest__Output,
} from '@pushdown/proto';
import { parseSchemaJson } from '@pushdown/engine';
import { toObjectInfo } from './object-info.js';
import type { ServiceContext } from './service-context.js';
import { abortOnCancel } from './stream-writes.js';

export function putObjectHandler(
  ctx: ServiceContext,
): grpc.handleClientStreamingCall<PutObjectRequest__Output, ObjectInfo> {
  return (call, callback) => {
    const controller = abortOnCancel(call);
    put(ctx, call, controller.signal).then(
      (info) => callback(null, info),
      (err: unknown) => {
        if (controller.signal.aborted) ctx.log(`put cancelled by the client: ${(err as Error)?.message}`);
        callback(toServiceError(err));
      },
    );
  };
}

async function put(
  ctx: ServiceContext,
  call: AsyncIterable<PutObjectRequest__Output>,
  signal: AbortSignal,
): Promise<ObjectInfo> {
  const messages = call[Symbol.asyncIterator]();
  const first = await messages.next();
  if (first.done)
    throw new InvalidArgumentError('PutObject stream ended before its header', {
      hint: 'send a header first',
    });
  const header = headerOf(first.value);
  const meta = await ctx.store.put(
    {
      table: header.table,
      name: header.name,
      format: header.format,
      schema: parseSchemaJson(header.schemaJson),
      sha256: header.sha256,
      overwrite: header.overwrite,
      size: Number(header.size),
    },
    chunks(messages),
    { signal },
  );
  ctx.log(`put ${meta.table}/${meta.name}: ${meta.size} bytes, ${meta.numRows ?? '?'} rows`);
  return toObjectInfo(meta);
}

function headerOf(message: PutObjectRequest__Output): PutObjectHeader__Output {
  if (message.payload !== 'header' || !message.header) {
    throw new InvalidArgumentError('PutObject got a chunk before its header', {
      hint: 'send the header message first',
    });
  }
  return message.header;
}

async function* chunks(messages: AsyncIterator<PutObjectRequest__Output>): AsyncGenerator<Uint8Array> {
  for (;;) {
    const next = await messages.next();
    if (next.done) return;
    if (next.value.payload !== 'chunk') {
      throw new InvalidArgumentError('PutObject got a second header', {
        hint: 'send one header, then only chunks',
      });
    }
    if (next.value.chunk && next.value.chunk.byteLength > 0) yield next.value.chunk;
  }
}
