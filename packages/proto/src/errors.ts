/**
 * One error family for the whole system, with stable string codes.
 *
 * Every layer throws a `PushdownError` (or a subclass) with a `code`; the gRPC servers map it to
 * a status in exactly one place (`toServiceError`), so a client never sees `UNKNOWN`. Errors
 * chain with `cause`. Across a worker or process boundary they are flattened with
 * `serializeError` and rebuilt with `deserializeError`.
 *
 * @example
 * throw new InvalidArgumentError('unknown column "l_foo" in WHERE at line 1, column 30', {
 *   hint: 'columns of lineitem are l_orderkey, l_partkey, ...',
 * });
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

export const ErrorCode = {
  INVALID_ARGUMENT: 'PUSHDOWN_ERR_INVALID_ARGUMENT',
  PLAN: 'PUSHDOWN_ERR_PLAN',
  NOT_FOUND: 'PUSHDOWN_ERR_NOT_FOUND',
  ALREADY_EXISTS: 'PUSHDOWN_ERR_ALREADY_EXISTS',
  CORRUPT_DATA: 'PUSHDOWN_ERR_CORRUPT_DATA',
  EXECUTION: 'PUSHDOWN_ERR_EXECUTION',
  PLUGIN: 'PUSHDOWN_ERR_PLUGIN',
  RESOURCES_EXHAUSTED: 'PUSHDOWN_ERR_RESOURCES_EXHAUSTED',
  DEADLINE_EXCEEDED: 'PUSHDOWN_ERR_DEADLINE_EXCEEDED',
  UNAVAILABLE: 'PUSHDOWN_ERR_UNAVAILABLE',
  CANCELLED: 'PUSHDOWN_ERR_CANCELLED',
  INTERNAL: 'PUSHDOWN_ERR_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const STATUS_OF: Record<ErrorCode, status> = {
  [ErrorCode.INVALID_ARGUMENT]: status.INVALID_ARGUMENT,
  [ErrorCode.PLAN]: status.INVALID_ARGUMENT,
  [ErrorCode.NOT_FOUND]: status.NOT_FOUND,
  [ErrorCode.ALREADY_EXISTS]: status.ALREADY_EXISTS,
  [ErrorCode.CORRUPT_DATA]: status.DATA_LOSS,
  [ErrorCode.EXECUTION]: status.INTERNAL,
  [ErrorCode.PLUGIN]: status.INVALID_ARGUMENT,
  [ErrorCode.RESOURCES_EXHAUSTED]: status.RESOURCE_EXHAUSTED,
  [ErrorCode.DEADLINE_EXCEEDED]: status.DEADLINE_EXCEEDED,
  [ErrorCode.UNAVAILABLE]: status.UNAVAILABLE,
  [ErrorCode.CANCELLED]: status.CANCELLED,
  [ErrorCode.INTERNAL]: status.INTERNAL,
};

const CODE_OF_STATUS = new Map<number, ErrorCode>([
  [status.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT],
  [status.NOT_FOUND, ErrorCode.NOT_FOUND],
  [status.ALREADY_EXISTS, ErrorCode.ALREADY_EXISTS],
  [status.DATA_LOSS, ErrorCode.CORRUPT_DATA],
  [status.RESOURCE_EXHAUSTED, ErrorCode.RESOURCES_EXHAUSTED],
  [status.DEADLINE_EXCEEDED, ErrorCode.DEADLINE_EXCEEDED],
  [status.UNAVAILABLE, ErrorCode.UNAVAILABLE],
  [status.CANCELLED, ErrorCode.CANCELLED],
]);

/** Metadata key that carries the stable error code next to the gRPC status. */
export const ERROR_CODE_METADATA_KEY = 'pushdown-error-code';

export interface PushdownErrorOptions {
  cause?: unknown;
  /** What the user can change, appended to the message. */
  hint?: string;
}

export class PushdownError extends Error {
  override name = 'PushdownError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: PushdownErrorOptions = {}) {
    super(options.hint ? `${message} (${options.hint})` : message, { cause: options.cause });
    this.code = code;
  }
}

export class InvalidArgumentError extends PushdownError {
  override name = 'InvalidArgumentError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.INVALID_ARGUMENT, message, options);
  }
}

/** Valid SQL that the planner cannot (yet) run, or a plan that does not hold together. */
export class PlanError extends PushdownError {
  override name = 'PlanError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.PLAN, message, options);
  }
}

export class NotFoundError extends PushdownError {
  override name = 'NotFoundError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.NOT_FOUND, message, options);
  }
}

export class AlreadyExistsError extends PushdownError {
  override name = 'AlreadyExistsError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.ALREADY_EXISTS, message, options);
  }
}

/** An object whose bytes are not what its format says: bad magic, truncated footer, bad page, bad CSV. */
export class CorruptDataError extends PushdownError {
  override name = 'CorruptDataError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.CORRUPT_DATA, message, options);
  }
}

export class ExecutionError extends PushdownError {
  override name = 'ExecutionError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.EXECUTION, message, options);
  }
}

export class PluginError extends PushdownError {
  override name = 'PluginError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.PLUGIN, message, options);
  }
}

export class ResourceExhaustedError extends PushdownError {
  override name = 'ResourceExhaustedError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.RESOURCES_EXHAUSTED, message, options);
  }
}

export class DeadlineExceededError extends PushdownError {
  override name = 'DeadlineExceededError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.DEADLINE_EXCEEDED, message, options);
  }
}

export class UnavailableError extends PushdownError {
  override name = 'UnavailableError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.UNAVAILABLE, message, options);
  }
}

export class CancelledError extends PushdownError {
  override name = 'CancelledError';
  constructor(message: string, options?: PushdownErrorOptions) {
    super(ErrorCode.CANCELLED, message, options);
  }
}

export function isPushdownError(err: unknown): err is PushdownError {
  return err instanceof PushdownError;
}

/** The gRPC status for an error: the one place where domain errors meet status codes. */
export function grpcStatusOf(err: unknown): status {
  if (err instanceof PushdownError) return STATUS_OF[err.code];
  if (isServiceError(err)) return err.code;
  return status.INTERNAL;
}

/**
 * Turns any thrown value into a `ServiceError` for a grpc-js callback or `emit('error')`.
 * Unknown errors become INTERNAL with their message; never UNKNOWN.
 */
export function toServiceError(err: unknown): Partial<ServiceError> & { code: status; details: string } {
  const code = grpcStatusOf(err);
  const details = err instanceof Error ? err.message : String(err);
  const metadata = new Metadata();
  metadata.set(
    ERROR_CODE_METADATA_KEY,
    err instanceof PushdownError
      ? err.code
      : isServiceError(err)
        ? codeOfStatus(err.code)
        : ErrorCode.INTERNAL,
  );
  return { name: 'ServiceError', message: details, code, details, metadata };
}

/** Rebuilds a `PushdownError` from a gRPC error received by a client. */
export function fromServiceError(err: unknown, context?: string): PushdownError {
  if (err instanceof PushdownError) return err;
  if (isServiceError(err)) {
    const fromMeta = err.metadata?.get(ERROR_CODE_METADATA_KEY)[0];
    const code = typeof fromMeta === 'string' && isErrorCode(fromMeta) ? fromMeta : codeOfStatus(err.code);
    const message = err.details || err.message;
    return new PushdownError(code, context ? `${context}: ${message}` : message, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new PushdownError(ErrorCode.INTERNAL, context ? `${context}: ${message}` : message, { cause: err });
}

export function codeOfStatus(code: number): ErrorCode {
  return CODE_OF_STATUS.get(code) ?? (code === status.OK ? ErrorCode.INTERNAL : ErrorCode.EXECUTION);
}

function isErrorCode(value: string): value is ErrorCode {
  return (Object.values(ErrorCode) as string[]).includes(value);
}

function isServiceError(err: unknown): err is ServiceError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'number' &&
    'details' in err
  );
}

/** A plain-object error that crosses worker and process boundaries. */
export interface SerializedError {
  name: string;
  code: ErrorCode;
  message: string;
  stack?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof PushdownError) {
    return {
      name: err.name,
      code: err.code,
      message: err.message,
      ...(err.stack ? { stack: err.stack } : {}),
    };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    name: e.name,
    code: ErrorCode.INTERNAL,
    message: e.message,
    ...(e.stack ? { stack: e.stack } : {}),
  };
}

export function deserializeError(s: SerializedError): PushdownError {
  const err = new PushdownError(s.code, s.message);
  err.name = s.name;
  if (s.stack) err.stack = s.stack;
  return err;
}
