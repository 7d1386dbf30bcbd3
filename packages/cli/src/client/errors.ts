/**
 * How the CLI reports failures: `error: <message> (<GRPC_STATUS_NAME>)` on stderr and an exit
 * code per class, so scripts can tell a bad query from a dead server without parsing text.
 */
import { status } from '@grpc/grpc-js';
import { ErrorCode, grpcStatusOf, isPushdownError } from '@pushdown/proto';

/** Exit codes of the `pushdown` command. */
export const ExitCode = {
  OK: 0,
  /** Internal or execution failure, or any error without a better class. */
  FAILURE: 1,
  /** Bad flags, bad SQL, bad input files (INVALID_ARGUMENT, also commander usage errors). */
  USAGE: 2,
  /** Table, object or topology not found (NOT_FOUND), or `status` with nothing running. */
  NOT_FOUND: 3,
  /** Server unreachable (UNAVAILABLE). */
  UNAVAILABLE: 4,
  DEADLINE_EXCEEDED: 5,
  RESOURCE_EXHAUSTED: 6,
  /** Corrupt object bytes (DATA_LOSS). */
  DATA_LOSS: 7,
  ALREADY_EXISTS: 8,
  /** Interrupted (Ctrl-C), as shells report SIGINT. */
  CANCELLED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const EXIT_OF_STATUS = new Map<number, ExitCode>([
  [status.INVALID_ARGUMENT, ExitCode.USAGE],
  [status.NOT_FOUND, ExitCode.NOT_FOUND],
  [status.UNAVAILABLE, ExitCode.UNAVAILABLE],
  [status.DEADLINE_EXCEEDED, ExitCode.DEADLINE_EXCEEDED],
  [status.RESOURCE_EXHAUSTED, ExitCode.RESOURCE_EXHAUSTED],
  [status.DATA_LOSS, ExitCode.DATA_LOSS],
  [status.ALREADY_EXISTS, ExitCode.ALREADY_EXISTS],
  [status.CANCELLED, ExitCode.CANCELLED],
]);

export interface DescribedError {
  message: string;
  /** gRPC status name: INVALID_ARGUMENT, UNAVAILABLE, ... */
  statusName: string;
  /** The stable PUSHDOWN_ERR_... code. */
  code: ErrorCode;
  exitCode: ExitCode;
}

/** Classifies any thrown value for printing. */
export function describeError(err: unknown): DescribedError {
  // fromServiceError keeps the received ServiceError as `cause`: its status is what the
  // server actually said, which beats re-deriving it from the code.
  const cause = (err as { cause?: unknown } | null)?.cause;
  const wireStatus =
    typeof (cause as { code?: unknown } | undefined)?.code === 'number' &&
    typeof (cause as { details?: unknown }).details === 'string'
      ? (cause as { code: number }).code
      : undefined;
  const code = wireStatus ?? grpcStatusOf(err);
  return {
    message: err instanceof Error ? err.message : String(err),
    statusName: status[code] ?? 'INTERNAL',
    code: isPushdownError(err) ? err.code : ErrorCode.INTERNAL,
    exitCode: EXIT_OF_STATUS.get(code) ?? ExitCode.FAILURE,
  };
}

/** The one line the CLI prints for a failure. */
export function formatErrorLine(err: unknown): string {
  const d = describeError(err);
  return `error: ${d.message} (${d.statusName})`;
}
