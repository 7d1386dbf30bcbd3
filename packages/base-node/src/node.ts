/**
 * Starts a base node: the object store, the HTTP object API and the gRPC BaseNode service
 * (with health and reflection), all in this process.
 *
 * @example
 * const node = await startBaseNode({ nodeId: 'base-1', dataDir: '/tmp/base-1' });
 * console.log(node.grpcAddress, node.httpUrl); // 127.0.0.1:40123 http://127.0.0.1:40124
 * await node.close();
 */
import type * as grpc from '@grpc/grpc-js';
import {
  addStandardServices,
  baseNodeServiceDefinition,
  bindServer,
  createGrpcServer,
  BASE_NODE_SERVICE_NAME,
} from '@pushdown/proto';
import { join } from 'node:path';
import { configurePluginDirs, configurePluginStateDir, pluginDirs } from '@pushdown/plugins';
import { createBaseNodeHandlers } from './grpc/base-node-service.js';
import { createObjectHttpServer } from './http/object-http-server.js';
import { LinkThrottle } from './link/link-throttle.js';
import { resolveBaseNodeOptions, type BaseNodeOptions } from './options.js';
import { nodeParallelism } from './scan/parallelism.js';
import { ObjectStore } from './storage/object-store.js';
import { BASE_NODE_VERSION } from './version.js';

export interface BaseNodeHandle {
  readonly nodeId: string;
  /** `host:port` of the gRPC server (the port it actually got). */
  readonly grpcAddress: string;
  /** `http://host:port` of the HTTP object API. */
  readonly httpUrl: string;
  readonly store: ObjectStore;
  /** Body bytes the HTTP object API has sent so far. */
  httpBytesServed(): number;
  /**
   * Stops both servers: in-flight calls get `graceMs` (default 5 s) to finish, then are cut.
   * Safe to call twice.
   */
  close(graceMs?: number): Promise<void>;
}

export async function startBaseNode(options: BaseNodeOptions): Promise<BaseNodeHandle> {
  const o = resolveBaseNodeOptions(options);
  // Added to (not replacing) the folders this process already loads: tests run several nodes
  // and an intermediary in one process, and each must still see its own plugins.
  configurePluginDirs([...pluginDirs().filter((d) => d !== o.pluginDir), o.pluginDir]);
  // Scratch snapshots of plugins whose manifest asks for persistence (one folder per process).
  configurePluginStateDir(join(o.dataDir, 'plugin-state'));
  const store = await ObjectStore.open({ dataDir: o.dataDir, maxObjectBytes: o.maxObjectBytes });
  const hostPart = o.host.includes(':') ? `[${o.host}]` : o.host;

  const link = new LinkThrottle({
    latencyMs: o.linkLatencyMs,
    bandwidthBytesPerSec: (o.linkBandwidthMbps * 1e6) / 8,
  });
  const http = createObjectHttpServer(store, o.log, link);
  const httpPort = await http.listen(o.host, o.httpPort);
  const httpUrl = `http://${hostPart}:${httpPort}`;

  const server = createGrpcServer();
  server.addService(
    baseNodeServiceDefinition(),
    createBaseNodeHandlers({
      store,
      nodeId: o.nodeId,
      version: BASE_NODE_VERSION,
      cpuQuota: o.cpuQuota,
      parallelism: nodeParallelism(o.parallelism, o.cpuQuota),
      memoryLimitBytes: o.memoryLimitBytes,
      httpUrl: () => httpUrl,
      log: o.log,
      link,
      pluginDir: o.pluginDir,
    }),
  );
  const health = addStandardServices(server, [BASE_NODE_SERVICE_NAME]);
  let grpcPort: number;
  try {
    grpcPort = await bindServer(server, hostPart, o.grpcPort);
  } catch (err) {
    await http.close();
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    nodeId: o.nodeId,
    grpcAddress: `${hostPart}:${grpcPort}`,
    httpUrl,
    store,
    httpBytesServed: () => http.bytesServed(),
    close(graceMs = 5000) {
      closing ??= (async () => {
        health.setStatus('', 'NOT_SERVING');
        health.setStatus(BASE_NODE_SERVICE_NAME, 'NOT_SERVING');
        await Promise.all([shutdownGrpc(server, graceMs), http.close(graceMs)]);
      })();
      return closing;
    },
  };
}

/** tryShutdown lets calls in flight finish; forceShutdown cuts them after the grace period. */
function shutdownGrpc(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    timer.unref();
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
