/**
 * The standard grpc.health.v1 check, which every pushdown server (base node and intermediary)
 * serves. Used by `pushdown status` and to wait for a freshly started topology.
 */
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

export type HealthStatus = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN' | 'SERVICE_UNKNOWN' | 'UNREACHABLE';

interface HealthClient extends grpc.Client {
  check(
    req: { service: string },
    options: grpc.CallOptions,
    cb: (err: grpc.ServiceError | null, res?: { status: string | number }) => void,
  ): grpc.ClientUnaryCall;
}

const HealthCtor = grpc.makeGenericClientConstructor(healthService, 'Health') as unknown as new (
  address: string,
  creds: grpc.ChannelCredentials,
) => HealthClient;

const STATUS_NAMES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

export interface HealthResult {
  status: HealthStatus;
  /** Round trip of the check, when it got an answer. */
  latencyMs?: number;
  /** Why the server is unreachable (connection refused, deadline). */
  detail?: string;
}

/** Asks `address` for the health of `service` ('' is the whole server). Never throws. */
export function checkHealth(address: string, service = '', timeoutMs = 2_000): Promise<HealthResult> {
  const client = new HealthCtor(address, grpc.credentials.createInsecure());
  const started = performance.now();
  return new Promise<HealthResult>((resolve) => {
    client.check({ service }, { deadline: new Date(Date.now() + timeoutMs) }, (err, res) => {
      client.close();
      if (err) {
        if (err.code === grpc.status.NOT_FOUND) resolve({ status: 'SERVICE_UNKNOWN' });
        else resolve({ status: 'UNREACHABLE', detail: err.details || err.message });
        return;
      }
      const raw = res?.status ?? 0;
      const status = typeof raw === 'number' ? (STATUS_NAMES[raw] ?? 'UNKNOWN') : (raw as HealthStatus);
      resolve({ status, latencyMs: performance.now() - started });
    });
  });
}
