/** Deadline and cancellation plumbing shared by every client call. */
import type { CallOptions, ClientReadableStream, ClientUnaryCall } from '@grpc/grpc-js';

export interface CallControl {
  /** Aborting cancels the call; the caller sees a PushdownError with code PUSHDOWN_ERR_CANCELLED. */
  signal?: AbortSignal;
  /** Milliseconds from now after which the server gives up (gRPC deadline). */
  deadlineMs?: number;
}

export function callOptions(control: CallControl): CallOptions {
  return control.deadlineMs !== undefined && control.deadlineMs > 0
    ? { deadline: new Date(Date.now() + control.deadlineMs) }
    : {};
}

/** Cancels `call` when `signal` aborts; returns the detach function. */
export function linkAbort(
  call: ClientUnaryCall | ClientReadableStream<unknown> | { cancel(): void },
  signal: AbortSignal | undefined,
): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    call.cancel();
    return () => {};
  }
  const onAbort = () => call.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
