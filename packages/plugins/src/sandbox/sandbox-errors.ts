/**
 * Rebuilds the error family from errors flattened at the worker boundary, so callers can test
 * `instanceof DeadlineExceededError` and the gRPC layer maps the code, as for errors thrown in
 * the main thread.
 */
import {
  CancelledError,
  DeadlineExceededError,
  deserializeError,
  ErrorCode,
  ExecutionError,
  InvalidArgumentError,
  NotFoundError,
  PluginError,
  type PushdownError,
  ResourceExhaustedError,
  UnavailableError,
  type SerializedError,
} from '@pushdown/proto';

type ErrorClass = new (message: string) => PushdownError;

const CLASS_OF: Partial<Record<string, ErrorClass>> = {
  [ErrorCode.PLUGIN]: PluginError,
  [ErrorCode.RESOURCES_EXHAUSTED]: ResourceExhaustedError,
  [ErrorCode.DEADLINE_EXCEEDED]: DeadlineExceededError,
  [ErrorCode.INVALID_ARGUMENT]: InvalidArgumentError,
  [ErrorCode.NOT_FOUND]: NotFoundError,
  [ErrorCode.EXECUTION]: ExecutionError,
  [ErrorCode.UNAVAILABLE]: UnavailableError,
  [ErrorCode.CANCELLED]: CancelledError,
};

/** The flattened error as an instance of its class (or a PushdownError with its code). */
export function reviveError(s: SerializedError): PushdownError {
  const Class = CLASS_OF[s.code];
  if (!Class) return deserializeError(s);
  const err = new Class(s.message);
  if (s.stack) err.stack = s.stack;
  return err;
}
