/**
 * Object administration on one base node: put (streamed in 1 MiB chunks with the file's SHA-256
 * in the header, so the node keeps nothing on a mismatch), list, capabilities.
 *
 * @example
 * const admin = new BaseNodeAdmin('127.0.0.1:40123');
 * const info = await admin.putObject('lineitem-0.parquet', { table: 'lineitem' });
 * console.log(info.numRows, info.sha256);
 * admin.close();
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import {
  createBaseNodeClient,
  fromServiceError,
  InvalidArgumentError,
  NotFoundError,
  type BaseNodeClient,
  type CapabilitiesResponse__Output,
  type ObjectInfo__Output,
} from '@pushdown/proto';
import { clientError } from './unreachable.js';
import { callOptions, linkAbort, type CallControl } from './call-options.js';
import { validateAddress } from './options.js';

/** The size of each chunk message of a put (the server accepts up to 1 MiB). */
export const PUT_CHUNK_BYTES = 1024 * 1024;

export const OBJECT_FORMATS = ['parquet', 'csv', 'jsonl'] as const;
export type ObjectFormat = (typeof OBJECT_FORMATS)[number];

export interface PutObjectOptions extends CallControl {
  table: string;
  /** Object name; default the file's base name. */
  name?: string;
  /** Default: from the file extension (.parquet / .csv / .jsonl), else the node infers it. */
  format?: ObjectFormat;
  /** Declared CSV schema: JSON array of {"name", "type"}. */
  schemaJson?: string;
  overwrite?: boolean;
  /** Called after each chunk is handed to gRPC, with bytes sent and the file size. */
  onProgress?: (sent: number, total: number) => void;
}

export class BaseNodeAdmin {
  readonly address: string;
  private readonly grpc: BaseNodeClient;

  constructor(address: string) {
    this.address = validateAddress(address);
    this.grpc = createBaseNodeClient(address);
  }

  /** Streams `file` to the node as object `table/name`; resolves with what the node stored. */
  async putObject(file: string, options: PutObjectOptions): Promise<ObjectInfo__Output> {
    if (!options.table) throw new InvalidArgumentError('putObject needs a table name');
    const size = await stat(file).then(
      (st) => st.size,
      (err: NodeJS.ErrnoException) => {
        throw new NotFoundError(`cannot read ${file}: ${err.code ?? err.message}`, { cause: err });
      },
    );
    const sha256 = await sha256OfFile(file);
    const name = options.name ?? basename(file);
    const format = options.format ?? inferFormat(file);

    let unlink = () => {};
    let callError: unknown;
    const done = new Promise<ObjectInfo__Output>((resolve, reject) => {
      const call = this.grpc.putObject(callOptions(options), (err, info) => {
        unlink();
        if (err || !info)
          reject(
            clientError(
              err,
              `put ${options.table}/${name} to ${this.address} failed`,
              this.address,
              'base node',
            ),
          );
        else resolve(info);
      });
      unlink = linkAbort(call, options.signal);
      void streamFile(
        call,
        file,
        size,
        {
          table: options.table,
          name,
          format: format ?? '',
          schemaJson: options.schemaJson ?? '',
          sha256,
          overwrite: options.overwrite ?? false,
          size,
        },
        options.onProgress,
      ).catch((err: unknown) => {
        callError = err;
        call.cancel();
      });
    });
    try {
      return await done;
    } catch (err) {
      // A local read failure is the real cause, not the CANCELLED it produced.
      throw callError ? fromServiceError(callError, `put ${file}`) : err;
    }
  }

  /** Objects on this node, of one table or (empty) all tables. */
  listObjects(table = '', control: CallControl = {}): Promise<ObjectInfo__Output[]> {
    return new Promise((resolve, reject) => {
      const call = this.grpc.listObjects({ table }, callOptions(control), (err, res) => {
        unlink();
        if (err)
          reject(clientError(err, `list objects on ${this.address} failed`, this.address, 'base node'));
        else resolve(res?.objects ?? []);
      });
      const unlink = linkAbort(call, control.signal);
    });
  }

  capabilities(control: CallControl = {}): Promise<CapabilitiesResponse__Output> {
    return new Promise((resolve, reject) => {
      const call = this.grpc.capabilities({}, callOptions(control), (err, res) => {
        unlink();
        if (err || !res)
          reject(clientError(err, `capabilities of ${this.address} failed`, this.address, 'base node'));
        else resolve(res);
      });
      const unlink = linkAbort(call, control.signal);
    });
  }

  close(): void {
    this.grpc.close();
  }
}

/** One-shot put: opens a channel to `address`, streams `file`, closes. */
export async function putObject(
  address: string,
  file: string,
  options: PutObjectOptions,
): Promise<ObjectInfo__Output> {
  const admin = new BaseNodeAdmin(address);
  try {
    return await admin.putObject(file, options);
  } finally {
    admin.close();
  }
}

/** One-shot list of the objects on the node at `address`. */
export async function listObjects(address: string, table = ''): Promise<ObjectInfo__Output[]> {
  const admin = new BaseNodeAdmin(address);
  try {
    return await admin.listObjects(table);
  } finally {
    admin.close();
  }
}

export function inferFormat(file: string): ObjectFormat | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.csv' || ext === '.tbl') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return undefined;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: PUT_CHUNK_BYTES })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

interface Writable {
  write(msg: unknown): boolean;
  once(event: 'drain', cb: () => void): unknown;
  end(): void;
}

async function streamFile(
  call: Writable,
  file: string,
  size: number,
  header: Record<string, unknown>,
  onProgress: ((sent: number, total: number) => void) | undefined,
): Promise<void> {
  call.write({ header });
  const fh = await open(file, 'r');
  try {
    let sent = 0;
    while (sent < size) {
      // A fresh buffer per chunk: grpc-js may still hold the previous one when write() returns.
      const buf = Buffer.allocUnsafe(Math.min(PUT_CHUNK_BYTES, size - sent));
      const { bytesRead } = await fh.read(buf, 0, buf.length, sent);
      if (bytesRead === 0) throw new InvalidArgumentError(`${file} shrank while it was being sent`);
      sent += bytesRead;
      const more = call.write({ chunk: bytesRead === buf.length ? buf : buf.subarray(0, bytesRead) });
      onProgress?.(sent, size);
      if (!more) await new Promise<void>((r) => call.once('drain', r));
    }
  } finally {
    await fh.close();
  }
  call.end();
}
