/**
 * @pushdown/proto: the pushdown.v1 wire contract: the .proto files, generated message types, a
 * loader with typed clients and service definitions, the standard server services, and the one
 * place that maps domain errors to gRPC status codes.
 */

// ---- loader and clients ----
export {
  PROTO_DIR,
  PROTO_FILE,
  LOADER_OPTIONS,
  MAX_MESSAGE_BYTES,
  DEFAULT_CHANNEL_OPTIONS,
  pushdownPackageDefinition,
  baseNodeServiceDefinition,
  intermediaryServiceDefinition,
  createBaseNodeClient,
  createIntermediaryClient,
} from './loader.js';

// ---- servers ----
export type { ServingStatus, StandardServices } from './server.js';
export {
  createGrpcServer,
  addStandardServices,
  bindServer,
  BASE_NODE_SERVICE_NAME,
  INTERMEDIARY_SERVICE_NAME,
} from './server.js';

// ---- messages ----
export * from './messages.js';

// ---- errors ----
export {
  ErrorCode,
  ERROR_CODE_METADATA_KEY,
  PushdownError,
  InvalidArgumentError,
  PlanError,
  NotFoundError,
  AlreadyExistsError,
  CorruptDataError,
  ExecutionError,
  PluginError,
  ResourceExhaustedError,
  DeadlineExceededError,
  UnavailableError,
  CancelledError,
  isPushdownError,
  grpcStatusOf,
  toServiceError,
  fromServiceError,
  codeOfStatus,
  serializeError,
  deserializeError,
} from './errors.js';
export type { PushdownErrorOptions, SerializedError } from './errors.js';
export { closestName, editDistance } from './did-you-mean.js';
