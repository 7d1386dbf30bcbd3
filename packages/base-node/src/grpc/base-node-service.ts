/** The pushdown.v1.BaseNode handlers, wired to a store and the node's identity. */
import { registryPlugins } from '@pushdown/engine';
import type { BaseNodeHandlers } from '@pushdown/proto';
import { getObjectHandler, unary, ABI_VERSION, OPERATORS, readableFormats } from './object-handlers.js';
import { toObjectInfo } from './object-info.js';
import { createPluginHandlers } from './plugin-handlers.js';
import { putObjectHandler } from './put-object-handler.js';
import { scanHandler } from './scan-handler.js';
import type { ServiceContext } from './service-context.js';

export function createBaseNodeHandlers(ctx: ServiceContext): BaseNodeHandlers {
  const plugins = createPluginHandlers(ctx);
  return {
    Capabilities: unary(async () => ({
      nodeId: ctx.nodeId,
      version: ctx.version,
      abiVersion: ABI_VERSION,
      operators: [...OPERATORS],
      formats: readableFormats(),
      plugins: registryPlugins(),
      cpuQuota: ctx.cpuQuota,
      memoryLimitBytes: ctx.memoryLimitBytes,
      httpUrl: ctx.httpUrl(),
      maxParallelism: ctx.parallelism?.max ?? 1,
    })),
    Scan: scanHandler(ctx),
    PutObject: putObjectHandler(ctx),
    GetObject: getObjectHandler(ctx),
    ListObjects: unary(async (req) => ({
      objects: (await ctx.store.list(req.table || undefined)).map(toObjectInfo),
    })),
    StatObject: unary(async (req) => toObjectInfo(await ctx.store.stat(req.table, req.name))),
    DeleteObject: unary(async (req) => {
      await ctx.store.delete(req.table, req.name);
      ctx.log(`deleted ${req.table}/${req.name}`);
      return { deleted: true };
    }),
    InstallPlugin: unary((req) => plugins.install(req)),
    RemovePlugin: unary((req) => plugins.remove(req)),
  };
}
