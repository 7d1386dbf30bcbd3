/**
 * Base node options: an interface, a defaults constant and a validator whose messages tests
 * pin. Only the entry point (main.ts) reads argv and the environment; everything else takes
 * these options.
 */
import { pluginInstallDir } from '@pushdown/plugins';
import { InvalidArgumentError } from '@pushdown/proto';
import { DEFAULT_MAX_OBJECT_BYTES } from './storage/object-store.js';

export interface BaseNodeOptions {
  /** Names this node in capabilities, stats and logs. Letters, digits, '.', '_', '-'. */
  readonly nodeId: string;
  /** Holds `objects/` and `tmp/`; created if missing. */
  readonly dataDir: string;
  /** Interface both servers bind to (default 127.0.0.1). */
  readonly host?: string;
  /** gRPC port; 0 picks a free one (default). */
  readonly grpcPort?: number;
  /** HTTP object API port; 0 picks a free one (default). */
  readonly httpPort?: number;
  /** Largest object a put accepts (default 4 GiB). */
  readonly maxObjectBytes?: number;
  /** Fraction of a core this node may use, reported in Capabilities (0 = unknown). */
  readonly cpuQuota?: number;
  /** Memory limit reported in Capabilities (0 = unknown). */
  readonly memoryLimitBytes?: number;
  /** Link emulation: delay added to every message sent to the intermediary, ms (0 = none). */
  readonly linkLatencyMs?: number;
  /** Link emulation: bandwidth cap on what this node sends, Mbit/s (0 = unlimited). */
  readonly linkBandwidthMbps?: number;
  /**
   * Worker threads a scan may use when the query does not say (0 = auto: the CPU budget, i.e.
   * the cgroup quota, cpuQuota and the CPUs, whichever is smallest). Never above that budget.
   */
  readonly parallelism?: number;
  /**
   * Folder of installed plugins (default `<dataDir>/plugins`): loaded at start, written by
   * BaseNode.InstallPlugin, read again after every install or removal.
   */
  readonly pluginDir?: string;
  /** Where log lines go (default: nowhere). */
  readonly log?: (line: string) => void;
}

export type ResolvedBaseNodeOptions = Required<Omit<BaseNodeOptions, 'pluginDir'>> & {
  readonly pluginDir: string;
};

export const DEFAULT_BASE_NODE_OPTIONS = Object.freeze({
  host: '127.0.0.1',
  grpcPort: 0,
  httpPort: 0,
  maxObjectBytes: DEFAULT_MAX_OBJECT_BYTES,
  cpuQuota: 0,
  memoryLimitBytes: 0,
  linkLatencyMs: 0,
  linkBandwidthMbps: 0,
  parallelism: 0,
  log: (_line: string): void => {},
});

const KNOWN = [
  'nodeId',
  'dataDir',
  'host',
  'grpcPort',
  'httpPort',
  'maxObjectBytes',
  'cpuQuota',
  'memoryLimitBytes',
  'linkLatencyMs',
  'linkBandwidthMbps',
  'parallelism',
  'pluginDir',
  'log',
] as const;

/** Fills defaults and checks every option; throws InvalidArgumentError naming the option. */
export function resolveBaseNodeOptions(options: BaseNodeOptions): ResolvedBaseNodeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!(KNOWN as readonly string[]).includes(key)) {
      const near = KNOWN.find((k) => k.toLowerCase() === key.toLowerCase().replace(/[-_]/g, ''));
      throw new InvalidArgumentError(
        `unknown option options.${key}` +
          (near ? `; did you mean options.${near}?` : `; known: ${KNOWN.join(', ')}`),
      );
    }
  }
  // Cast before checking: every field is verified just below.
  const o = { ...DEFAULT_BASE_NODE_OPTIONS, ...stripUndefined(options) } as ResolvedBaseNodeOptions;
  if (
    options.pluginDir !== undefined &&
    (typeof options.pluginDir !== 'string' || options.pluginDir === '')
  ) {
    throw new InvalidArgumentError('options.pluginDir must be a non-empty path');
  }
  if (typeof o.nodeId !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(o.nodeId)) {
    throw new InvalidArgumentError("options.nodeId must be 1 to 100 letters, digits, '.', '_' or '-'");
  }
  if (typeof o.dataDir !== 'string' || o.dataDir === '') {
    throw new InvalidArgumentError('options.dataDir must be a non-empty path');
  }
  if (typeof o.host !== 'string' || o.host === '') {
    throw new InvalidArgumentError('options.host must be a non-empty host name or address');
  }
  for (const key of ['grpcPort', 'httpPort'] as const) {
    const v = o[key];
    if (!Number.isInteger(v) || v < 0 || v > 65535) {
      throw new InvalidArgumentError(`options.${key} must be an integer from 0 to 65535`);
    }
  }
  if (!Number.isSafeInteger(o.maxObjectBytes) || o.maxObjectBytes <= 0) {
    throw new InvalidArgumentError('options.maxObjectBytes must be a positive integer');
  }
  if (typeof o.cpuQuota !== 'number' || !Number.isFinite(o.cpuQuota) || o.cpuQuota < 0) {
    throw new InvalidArgumentError('options.cpuQuota must be a non-negative number (0 = unknown)');
  }
  if (!Number.isSafeInteger(o.memoryLimitBytes) || o.memoryLimitBytes < 0) {
    throw new InvalidArgumentError('options.memoryLimitBytes must be a non-negative integer (0 = unknown)');
  }
  for (const key of ['linkLatencyMs', 'linkBandwidthMbps'] as const) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidArgumentError(`options.${key} must be a non-negative number (0 = no emulation)`);
    }
  }
  if (!Number.isInteger(o.parallelism) || o.parallelism < 0 || o.parallelism > 256) {
    throw new InvalidArgumentError('options.parallelism must be an integer from 0 (auto) to 256');
  }
  if (typeof o.log !== 'function') {
    throw new InvalidArgumentError('options.log must be a function');
  }
  return { ...o, pluginDir: options.pluginDir ?? pluginInstallDir(o.dataDir) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
