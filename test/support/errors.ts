import { status } from '@grpc/grpc-js';

/** The gRPC status a client call failed with (the client library keeps it as `cause`). */
export async function grpcFailure(promise: Promise<unknown>): Promise<{ status: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause;
    const code = typeof cause?.code === 'number' ? cause.code : -1;
    return { status: status[code] ?? `code ${code}`, message: (err as Error).message };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
