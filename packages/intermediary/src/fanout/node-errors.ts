/**
 * Errors from a base node, translated for the client: an unreachable or dying node becomes
 * UNAVAILABLE naming the node, its address and the object; any other status the node sent
 * keeps its code (rebuilt with fromServiceError) and gains the same context.
 */
import { status } from '@grpc/grpc-js';
import { ExecutionError, PushdownError, UnavailableError, fromServiceError } from '@pushdown/proto';
import { describeNode, type BaseNodeState } from '../catalog/base-node-registry.js';

/** Socket-level failures, from grpc-js details or undici/Node error codes. */
const CONNECTION_TROUBLE =
  /RST_STREAM|Connection dropped|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|No connection established|other side closed|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_CONNECT_TIMEOUT/;

function grpcCode(err: unknown): number | null {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'number' && typeof (err as { details?: unknown }).details === 'string' ? c : null;
}

function messageOf(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { details?: unknown; message?: unknown; code?: unknown };
    if (typeof e.details === 'string' && e.details) return e.details;
    if (typeof e.message === 'string' && e.message)
      return typeof e.code === 'string' ? `${e.code}: ${e.message}` : e.message;
  }
  return String(err);
}

export function isConnectionTrouble(err: unknown): boolean {
  const code = grpcCode(err);
  if (code === status.UNAVAILABLE) return true;
  const errCode = (err as { code?: unknown } | null)?.code;
  const text = `${typeof errCode === 'string' ? errCode : ''} ${messageOf(err)} ${String((err as { cause?: unknown })?.cause ?? '')}`;
  return (
    (code === null || code === status.INTERNAL || code === status.CANCELLED) && CONNECTION_TROUBLE.test(text)
  );
}

/**
 * @param what e.g. "the scan of lineitem/part-0.parquet" or "the pull of lineitem/part-0.parquet"
 * @param started whether any bytes had arrived ("became unavailable during" vs "is unavailable for")
 */
export function nodeFailure(
  err: unknown,
  node: BaseNodeState,
  what: string,
  started: boolean,
): PushdownError {
  if (isConnectionTrouble(err)) {
    // Marked down so the next query re-reads the catalog (and finds the node back, or fails fast).
    node.status = 'down';
    node.error = messageOf(err);
    return new UnavailableError(
      `${describeNode(node)} ${started ? 'became unavailable during' : 'is unavailable for'} ${what}: ${messageOf(err)}`,
      { cause: err },
    );
  }
  if (err instanceof PushdownError) return err;
  if (grpcCode(err) !== null) return fromServiceError(err, `${describeNode(node)} failed ${what}`);
  return new ExecutionError(`${describeNode(node)}: ${what} failed: ${messageOf(err)}`, { cause: err });
}

/** A node known to be down before any call is made. */
export function nodeDown(node: BaseNodeState, what: string): UnavailableError {
  return new UnavailableError(
    `${describeNode(node)} is unavailable, so ${what} cannot run: ${node.error ?? 'it did not answer'}`,
    { hint: 'start the node again; the intermediary re-checks it on the next query' },
  );
}
