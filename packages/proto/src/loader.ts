/**
 * Loads pushdown.v1 with @grpc/proto-loader and hands out typed service definitions and clients.
 *
 * @example
 * const client = createIntermediaryClient('127.0.0.1:50051');
 * const call = client.query({ sql: 'SELECT count(*) FROM lineitem', format: 'RESULT_FORMAT_JSON' });
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join, resolve } from 'node:path';
import type { ProtoGrpcType } from './generated/pushdown.js';
import type { BaseNodeClient, BaseNodeDefinition } from './generated/pushdown/v1/BaseNode.js';
import type { IntermediaryClient, IntermediaryDefinition } from './generated/pushdown/v1/Intermediary.js';

/** Folder holding `pushdown/v1/pushdown.proto` (for other clients: grpcurl, Python grpcio). */
export const PROTO_DIR = resolve(import.meta.dirname, '..', 'proto');
export const PROTO_FILE = join(PROTO_DIR, 'pushdown', 'v1', 'pushdown.proto');

/** Must match the flags of scripts/gen.js so the generated types describe what the loader returns. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

/** Raised from grpc-js's 4 MiB default: result and scan streams send chunks of up to 1 MiB, puts 1 MiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export const DEFAULT_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': 30_000,
};

let cached: { definition: protoLoader.PackageDefinition; v1: ProtoGrpcType['pushdown']['v1'] } | undefined;

function load() {
  if (!cached) {
    const definition = protoLoader.loadSync(PROTO_FILE, LOADER_OPTIONS);
    const root = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
    cached = { definition, v1: root.pushdown.v1 };
  }
  return cached;
}

/** The package definition (for reflection and custom loaders). */
export function pushdownPackageDefinition(): protoLoader.PackageDefinition {
  return load().definition;
}

export function baseNodeServiceDefinition(): BaseNodeDefinition {
  return load().v1.BaseNode.service;
}

export function intermediaryServiceDefinition(): IntermediaryDefinition {
  return load().v1.Intermediary.service;
}

export function createBaseNodeClient(address: string, options: grpc.ChannelOptions = {}): BaseNodeClient {
  const Ctor = load().v1.BaseNode;
  return new Ctor(address, grpc.credentials.createInsecure(), { ...DEFAULT_CHANNEL_OPTIONS, ...options });
}

export function createIntermediaryClient(
  address: string,
  options: grpc.ChannelOptions = {},
): IntermediaryClient {
  const Ctor = load().v1.Intermediary;
  return new Ctor(address, grpc.credentials.createInsecure(), { ...DEFAULT_CHANNEL_OPTIONS, ...options });
}
