/**
 * @pushdown/base-node: a base node's object store, HTTP object API and gRPC BaseNode service.
 * The process entry point is main.ts (`pushdown-base-node`), not exported here.
 */

// ---- node ----
export type { BaseNodeHandle } from './node.js';
export { startBaseNode } from './node.js';

// ---- options ----
export type { BaseNodeOptions, ResolvedBaseNodeOptions } from './options.js';
export { DEFAULT_BASE_NODE_OPTIONS, resolveBaseNodeOptions } from './options.js';
export type { ParsedArgs } from './args.js';
export { parseBaseNodeArgs, USAGE } from './args.js';

// ---- storage ----
export type { ObjectStoreOptions, PutObjectInput, PutOptions, OpenedObject } from './storage/object-store.js';
export { ObjectStore, DEFAULT_MAX_OBJECT_BYTES } from './storage/object-store.js';
export type { ObjectMeta } from './storage/object-meta.js';
export { validateName, resolveFormat, MAX_NAME_LENGTH } from './storage/names.js';

// ---- HTTP object API ----
export type { ObjectHttpServer } from './http/object-http-server.js';
export { createObjectHttpServer } from './http/object-http-server.js';
export type { RangeResult } from './http/range.js';
export { parseRange } from './http/range.js';

// ---- link emulation and calibration ----
export type { LinkOptions } from './link/link-throttle.js';
export { LinkThrottle, LinkStream } from './link/link-throttle.js';
export type { TokenBucketOptions } from './link/token-bucket.js';
export { TokenBucket } from './link/token-bucket.js';
export { linkTransform } from './link/link-transform.js';
export type { Calibration } from './calibrate.js';
export { calibrateCpu } from './calibrate.js';

// ---- gRPC service ----
export type { ServiceContext } from './grpc/service-context.js';
export { createBaseNodeHandlers } from './grpc/base-node-service.js';
export { ABI_VERSION, OPERATORS, FORMATS, readableFormats } from './grpc/object-handlers.js';
export { BASE_NODE_VERSION } from './version.js';
