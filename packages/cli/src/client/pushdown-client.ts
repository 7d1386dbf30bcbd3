/**
 * The typed client of the intermediary: run SQL and stream the result, explain, list tables.
 *
 * Every failure surfaces as a `PushdownError` with a stable `code` (rebuilt from the gRPC status
 * and the `pushdown-error-code` trailer), so callers switch on codes, not on message text.
 *
 * @example
 * const client = new PushdownClient('127.0.0.1:50051');
 * const { table, stats } = await client.queryTable('SELECT count(*) AS n FROM lineitem', {
 *   placement: 'pushdown',
 * });
 * console.log(table.getChild('n')?.get(0), stats.bytesShipped);
 * client.close();
 */
import type { ChannelOptions } from '@grpc/grpc-js';
import {
  createIntermediaryClient,
  ExecutionError,
  type IntermediaryClient,
  type QueryResponse__Output,
  type QueryStats__Output,
  type TableInfo__Output,
  UnavailableError,
} from '@pushdown/proto';
import { tableFromIPC, type Table } from 'apache-arrow';
import { clientError } from './unreachable.js';
import { callOptions, linkAbort, type CallControl } from './call-options.js';
import {
  formatToWire,
  placementToWire,
  validateAddress,
  type PlacementName,
  type ResultFormatName,
} from './options.js';

export interface QueryOptions extends CallControl {
  /** Where base fragments run; default `auto`. */
  placement?: PlacementName;
  /** Result encoding of the `chunks`; default `arrow`. */
  format?: ResultFormatName;
  /** Most base-node fragments in flight at once; 0 or absent means the server default. */
  maxConcurrency?: number;
  /** Free-form label recorded in server logs and stats. */
  tenant?: string;
  /** Worker threads per scan, on base nodes and the intermediary (0 / unset: each node's default). */
  parallelism?: number;
}

export interface QueryResult {
  /** The result bytes in the asked format, in order; single use. Throws PushdownError on failure. */
  chunks: AsyncIterable<Uint8Array>;
  /** Resolves with the stats message that ends the stream (once `chunks` has been read). */
  stats: Promise<QueryStats__Output>;
}

export interface TableResult {
  table: Table;
  stats: QueryStats__Output;
}

export interface PushdownClientOptions {
  /** Extra grpc-js channel options (merged over the proto package's defaults). */
  channelOptions?: ChannelOptions;
}

export class PushdownClient {
  readonly address: string;
  private readonly grpc: IntermediaryClient;

  constructor(address: string, options: PushdownClientOptions = {}) {
    this.address = validateAddress(address);
    this.grpc = createIntermediaryClient(address, options.channelOptions ?? {});
  }

  /** Streams the result of one SQL query. Read `chunks` to the end, then await `stats`. */
  query(sql: string, options: QueryOptions = {}): QueryResult {
    let resolveStats!: (s: QueryStats__Output) => void;
    let rejectStats!: (e: unknown) => void;
    const stats = new Promise<QueryStats__Output>((res, rej) => {
      resolveStats = res;
      rejectStats = rej;
    });
    // The same failure is thrown from `chunks`; a caller that only iterates must not also get
    // an unhandled rejection from the stats promise.
    stats.catch(() => {});

    const { grpc, address } = this;
    const request = {
      sql,
      placement: placementToWire(options.placement ?? 'auto'),
      format: formatToWire(options.format ?? 'arrow'),
      maxConcurrency: options.maxConcurrency ?? 0,
      tenant: options.tenant ?? '',
      parallelism: options.parallelism ?? 0,
    };
    let started = false;

    async function* chunks(): AsyncGenerator<Uint8Array> {
      if (started) throw new ExecutionError('QueryResult.chunks can be iterated only once');
      started = true;
      const call = grpc.query(request, callOptions(options));
      const unlink = linkAbort(call, options.signal);
      let gotStats = false;
      try {
        for await (const message of call as AsyncIterable<QueryResponse__Output>) {
          if (message.payload === 'data' && message.data) yield message.data;
          else if (message.payload === 'stats' && message.stats) {
            gotStats = true;
            resolveStats(message.stats);
          }
        }
        if (!gotStats) throw new ExecutionError(`query stream from ${address} ended without QueryStats`);
      } catch (err) {
        const e = clientError(err, 'query failed', address, 'intermediary');
        rejectStats(e);
        throw e;
      } finally {
        unlink();
        // Stops the server side early if the consumer broke out of the loop.
        call.cancel();
      }
    }
    return { chunks: chunks(), stats };
  }

  /** Runs a query with the Arrow format and decodes the whole result into an apache-arrow Table. */
  async queryTable(sql: string, options: Omit<QueryOptions, 'format'> = {}): Promise<TableResult> {
    const result = this.query(sql, { ...options, format: 'arrow' });
    const bytes = await collectBytes(result.chunks);
    const stats = await result.stats;
    return { table: tableFromIPC(bytes), stats };
  }

  /** The plan as text, with the placement of each fragment and its reason. */
  explain(sql: string, options: CallControl & { placement?: PlacementName } = {}): Promise<string> {
    return this.unary(
      'explain',
      (cb) =>
        this.grpc.explain(
          { sql, placement: placementToWire(options.placement ?? 'auto') },
          callOptions(options),
          (err, res) => cb(err, res?.text ?? ''),
        ),
      options.signal,
    );
  }

  /** The catalog: tables, their columns and objects, and where they live. */
  listTables(options: CallControl = {}): Promise<TableInfo__Output[]> {
    return this.unary(
      'list tables',
      (cb) => this.grpc.listTables({}, callOptions(options), (err, res) => cb(err, res?.tables ?? [])),
      options.signal,
    );
  }

  /** Resolves once the channel is connected; rejects with UNAVAILABLE after `timeoutMs`. */
  waitForReady(timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      this.grpc.waitForReady(Date.now() + timeoutMs, (err) =>
        err ? reject(unavailable(this.address, err)) : resolve(),
      );
    });
  }

  close(): void {
    this.grpc.close();
  }

  private unary<T>(
    what: string,
    start: (cb: (err: Error | null, value: T) => void) => { cancel(): void },
    signal: AbortSignal | undefined,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let unlink = () => {};
      const call = start((err, value) => {
        unlink();
        if (err) reject(clientError(err, `${what} failed`, this.address, 'intermediary'));
        else resolve(value);
      });
      unlink = linkAbort(call, signal);
    });
  }
}

/** Concatenates chunks into one 8-byte-aligned buffer (apache-arrow reads it zero-copy). */
export async function collectBytes(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of chunks) {
    parts.push(c);
    total += c.byteLength;
  }
  // A fresh ArrayBuffer starts at offset 0; Buffer.concat may hand out a pooled, unaligned slice.
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function unavailable(address: string, cause: unknown): UnavailableError {
  return new UnavailableError(`cannot reach the intermediary at ${address}`, {
    cause,
    hint: 'is `pushdown start` running? pass --addr HOST:PORT or set PUSHDOWN_ADDR',
  });
}
