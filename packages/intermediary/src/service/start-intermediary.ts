/**
 * Starts an intermediary: validates options, reads the catalog from the base nodes, and serves
 * pushdown.v1.Intermediary (plus health and reflection) on host:port.
 *
 * @example
 * const im = await startIntermediary({ port: 0, baseNodes: [{ id: 'b1', grpcAddress: '127.0.0.1:4001' }] });
 * console.log(im.address); // 127.0.0.1:PORT
 * await im.close();
 */
import { Agent } from 'undici';
import {
  INTERMEDIARY_SERVICE_NAME,
  addStandardServices,
  bindServer,
  createGrpcServer,
  intermediaryServiceDefinition,
} from '@pushdown/proto';
import { dirname, join } from 'node:path';
import { configurePluginDirs, configurePluginStateDir, pluginDirs } from '@pushdown/plugins';
import { BaseNodeRegistry } from '../catalog/base-node-registry.js';
import { IntermediaryCatalog } from '../catalog/catalog.js';
import {
  validateIntermediaryOptions,
  type IntermediaryOptions,
  type ResolvedIntermediaryOptions,
} from '../options.js';
import { createIntermediaryHandlers } from './intermediary-service.js';

export interface IntermediaryHandle {
  /** host:port the gRPC server listens on. */
  readonly address: string;
  readonly port: number;
  readonly catalog: IntermediaryCatalog;
  readonly options: ResolvedIntermediaryOptions;
  /** Stops taking calls, lets running ones finish for up to `graceMs` (default 5 s), then forces. */
  close(graceMs?: number): Promise<void>;
}

export async function startIntermediary(input: IntermediaryOptions): Promise<IntermediaryHandle> {
  const options = validateIntermediaryOptions(input);
  if (options.pluginDir) {
    // Added to the folders this process loads (tests run nodes in the same process).
    const dir = options.pluginDir;
    configurePluginDirs([...pluginDirs().filter((d) => d !== dir), dir]);
    // Plugin scratch snapshots beside the plugin folder: `<data-dir>/intermediary/plugin-state`
    // under `pushdown start`. Without a plugin folder there is no data folder: persistence off.
    configurePluginStateDir(join(dirname(dir), 'plugin-state'));
  }
  const nodes = new BaseNodeRegistry(options.baseNodes);
  const catalog = new IntermediaryCatalog(nodes, {
    refreshMs: options.catalogRefreshMs,
    timeoutMs: options.catalogTimeoutMs,
    logger: options.logger,
  });
  // Keep-alive connections to each node's object API, closed with the intermediary.
  const dispatcher = new Agent({ connections: 16, keepAliveTimeout: 10_000 });
  const server = createGrpcServer();
  try {
    await catalog.refresh();
    server.addService(
      intermediaryServiceDefinition(),
      createIntermediaryHandlers({ catalog, options, dispatcher }),
    );
    const health = addStandardServices(server, [INTERMEDIARY_SERVICE_NAME]);
    const port = await bindServer(server, options.host, options.port);
    catalog.startTimer();
    options.logger('info', 'intermediary listening', {
      address: `${options.host}:${port}`,
      baseNodes: nodes.all().map((n) => ({ id: n.id, address: n.grpcAddress, status: n.status })),
    });
    let closing: Promise<void> | null = null;
    return {
      address: `${hostForAddress(options.host)}:${port}`,
      port,
      catalog,
      options,
      close(graceMs = 5_000) {
        closing ??= (async () => {
          health.setStatus('', 'NOT_SERVING');
          health.setStatus(INTERMEDIARY_SERVICE_NAME, 'NOT_SERVING');
          catalog.stop();
          await shutdown(server, graceMs);
          nodes.close();
          await dispatcher.close().catch(() => dispatcher.destroy());
        })();
        return closing;
      },
    };
  } catch (err) {
    catalog.stop();
    server.forceShutdown();
    nodes.close();
    await dispatcher.destroy();
    throw err;
  }
}

function shutdown(server: ReturnType<typeof createGrpcServer>, graceMs: number): Promise<void> {
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

/** IPv6 hosts need brackets in host:port. */
function hostForAddress(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
