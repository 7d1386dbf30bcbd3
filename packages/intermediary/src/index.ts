/**
 * @pushdown/intermediary: catalog, planner glue and placement, fan-out with bounded
 * concurrency and a memory budget, the heavy (upper) stages, result encoding, and the gRPC
 * pushdown.v1.Intermediary service.
 *
 * @example
 * import { startIntermediary } from '@pushdown/intermediary';
 * const im = await startIntermediary({ port: 0, baseNodes: [{ id: 'b1', grpcAddress: '127.0.0.1:4001' }] });
 */

// ---- service ----
export { startIntermediary } from './service/start-intermediary.js';
export type { IntermediaryHandle } from './service/start-intermediary.js';
export { createIntermediaryHandlers, queryChannel } from './service/intermediary-service.js';

// ---- options ----
export { DEFAULT_INTERMEDIARY_OPTIONS, validateIntermediaryOptions } from './options.js';
export type {
  IntermediaryOptions,
  ResolvedIntermediaryOptions,
  BaseNodeAddress,
  PlacementName,
  Logger,
  LogLevel,
} from './options.js';

// ---- catalog ----
export { IntermediaryCatalog } from './catalog/catalog.js';
export type { CatalogObject, CatalogTable } from './catalog/catalog.js';
export type { BaseNodeState, NodeStatus } from './catalog/base-node-registry.js';

// ---- placement ----
export { decidePlacement, requiredOperators, placementOf } from './fanout/placement.js';
export type { PlacementDecision, RunPlacement } from './fanout/placement.js';

// ---- fan-out building blocks ----
export { MemoryBudget } from './fanout/memory-budget.js';
export { ConcurrencyLimiter } from './fanout/concurrency-limiter.js';

// ---- result encoding ----
export { createResultEncoder, resultFormatOf } from './encoders/result-encoder.js';
export type { ResultEncoder, ResultFormatName } from './encoders/result-encoder.js';
export { DEFAULT_CHUNK_BYTES } from './encoders/chunk-buffer.js';
