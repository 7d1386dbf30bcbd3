/**
 * The base nodes the intermediary talks to: one gRPC client each, and what the last catalog
 * round learned about the node (capabilities, objects, whether it answered).
 */
import type { ObjectInfo__Output, BaseNodeClient, CapabilitiesResponse__Output } from '@pushdown/proto';
import { createBaseNodeClient, fromServiceError } from '@pushdown/proto';
import type { BaseNodeAddress } from '../options.js';

export type NodeStatus = 'up' | 'down';

export interface BaseNodeState {
  readonly id: string;
  readonly grpcAddress: string;
  readonly client: BaseNodeClient;
  status: NodeStatus;
  /** Why the node is down (the last error), or null. */
  error: string | null;
  /** Capabilities from the last round that reached the node; null if it never answered. */
  capabilities: CapabilitiesResponse__Output | null;
  /** Objects from the last successful listing; null if the node never answered (contents unknown). */
  objects: ObjectInfo__Output[] | null;
  /** When the node last answered (ms since the epoch), or null. */
  lastSeenMs: number | null;
}

/**
 * `http://host:port` of the node's object API, without a trailing slash. A node bound to every
 * interface (0.0.0.0 or ::, as in Docker) reports that wildcard, which no one can connect to: the
 * host the intermediary reaches the node's gRPC at is used instead.
 */
export function httpUrlOf(node: BaseNodeState): string | null {
  const url = node.capabilities?.httpUrl;
  if (!url) return null;
  const trimmed = url.replace(/\/+$/, '');
  const wildcard = /^(https?:\/\/)(0\.0\.0\.0|\[::\])(:\d+)?$/.exec(trimmed);
  if (!wildcard) return trimmed;
  const grpcHost = node.grpcAddress.replace(/:\d+$/, '');
  return `${wildcard[1]}${grpcHost}${wildcard[3] ?? ''}`;
}

/** `b1 (127.0.0.1:4001)`: how messages name a node. */
export function describeNode(node: Pick<BaseNodeState, 'id' | 'grpcAddress'>): string {
  return `base node ${node.id} (${node.grpcAddress})`;
}

export class BaseNodeRegistry {
  readonly #nodes = new Map<string, BaseNodeState>();

  constructor(addresses: readonly BaseNodeAddress[]) {
    for (const a of addresses) {
      this.#nodes.set(a.id, {
        id: a.id,
        grpcAddress: a.grpcAddress,
        client: createBaseNodeClient(a.grpcAddress),
        status: 'down',
        error: 'not contacted yet',
        capabilities: null,
        objects: null,
        lastSeenMs: null,
      });
    }
  }

  get(id: string): BaseNodeState | undefined {
    return this.#nodes.get(id);
  }

  all(): BaseNodeState[] {
    return [...this.#nodes.values()];
  }

  /** Asks one node for its capabilities and objects; marks it up or down. Never throws. */
  async probe(node: BaseNodeState, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    try {
      const capabilities = await unary<CapabilitiesResponse__Output>((cb) =>
        node.client.capabilities({}, { deadline }, cb),
      );
      const listing = await unary<{ objects: ObjectInfo__Output[] }>((cb) =>
        node.client.listObjects({ table: '' }, { deadline }, cb),
      );
      node.capabilities = capabilities;
      node.objects = listing.objects;
      node.status = 'up';
      node.error = null;
      node.lastSeenMs = Date.now();
    } catch (err) {
      node.status = 'down';
      node.error = fromServiceError(err).message;
    }
  }

  close(): void {
    for (const n of this.#nodes.values()) n.client.close();
  }
}

function unary<T>(start: (cb: (err: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((err, value) => (err ? reject(err) : resolve(value as T)));
  });
}
