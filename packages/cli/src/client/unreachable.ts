/**
 * grpc-js reports a refused connection as UNAVAILABLE "No connection established. Last error:
 * ... Resolution note: "; users need to hear which server and what to do instead.
 */
import { status, type Metadata } from '@grpc/grpc-js';
import {
  ERROR_CODE_METADATA_KEY,
  fromServiceError,
  UnavailableError,
  type PushdownError,
} from '@pushdown/proto';

/** fromServiceError, with connection failures rewritten to name the server and the fix. */
export function clientError(err: unknown, context: string, address: string, what: string): PushdownError {
  const e = err as { code?: unknown; details?: unknown; metadata?: Metadata } | null;
  // A status our own server sent carries its error code in the trailers: that UNAVAILABLE is about
  // something behind the server (a base node), not about reaching the server itself.
  const fromServer = (e?.metadata?.get(ERROR_CODE_METADATA_KEY).length ?? 0) > 0;
  if (
    e &&
    !fromServer &&
    e.code === status.UNAVAILABLE &&
    typeof e.details === 'string' &&
    /No connection established|ECONNREFUSED|connect/i.test(e.details)
  ) {
    const reason = /ECONN\w+|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH/.exec(e.details)?.[0];
    return new UnavailableError(`cannot reach the ${what} at ${address}${reason ? ` (${reason})` : ''}`, {
      cause: err,
      hint:
        what === 'intermediary'
          ? 'is `pushdown start` running? pass --addr HOST:PORT or set PUSHDOWN_ADDR'
          : 'check `pushdown status`',
    });
  }
  return fromServiceError(err, context);
}
