/**
 * What every pushdown gRPC server has: the standard health service, server reflection, large
 * message limits, and a bind on port 0 that reports the port it got.
 */
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { DEFAULT_CHANNEL_OPTIONS, pushdownPackageDefinition } from './loader.js';

export type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN';

export interface StandardServices {
  /** Sets the health status of one service name ('' is the whole server). */
  setStatus(service: string, status: ServingStatus): void;
}

/** A grpc-js server with our channel options. */
export function createGrpcServer(options: grpc.ServerOptions = {}): grpc.Server {
  return new grpc.Server({ ...DEFAULT_CHANNEL_OPTIONS, ...options });
}

/** Adds `grpc.health.v1.Health` (every named service SERVING) and server reflection. */
export function addStandardServices(server: grpc.Server, serviceNames: readonly string[]): StandardServices {
  const statusMap: Record<string, ServingStatus> = { '': 'SERVING' };
  for (const name of serviceNames) statusMap[name] = 'SERVING';
  const health = new HealthImplementation(statusMap);
  health.addToServer(server);
  new ReflectionService(pushdownPackageDefinition()).addToServer(server);
  return { setStatus: (service, status) => health.setStatus(service, status) };
}

/** Binds insecurely to `host:port` (port 0 picks a free one) and resolves with the bound port. */
export function bindServer(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (err) reject(err);
      else resolvePort(bound);
    });
  });
}

export const BASE_NODE_SERVICE_NAME = 'pushdown.v1.BaseNode';
export const INTERMEDIARY_SERVICE_NAME = 'pushdown.v1.Intermediary';
