/**
 * grpc-js reports a refused connection as UNAVAILABLE "No connection established. Last error:
 * ... Resolution note: "; users need to hear which server and what to do instead.
 */
import { status } from '@grpc/grpc-js';
import { fromServiceError, UnavailableError, type PushdownError } from '@pushdown/proto';

/** fromServiceError, with connection failures rewritten to name the server and the fix. */
export function clientError(err: unknown, context: string, address: string, what: string): PushdownError {
  const e = err as { code?: unknown; details?: unknown } | null;
  if (
    e &&
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
