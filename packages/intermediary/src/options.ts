/**
 * Options of the intermediary: one interface, one defaults constant, one validator whose
 * messages tests pin. Only `main.ts` reads argv and the environment; everything below takes these.
 *
 * @example
 * const handle = await startIntermediary({
 *   port: 0,
 *   baseNodes: [{ id: 'b1', grpcAddress: '127.0.0.1:4001' }],
 * });
 */
import { InvalidArgumentError } from '@pushdown/proto';

/** A placement by name, as options and EXPLAIN text spell it. */
export type PlacementName = 'AUTO' | 'PUSHDOWN' | 'NO_PUSHDOWN';

export interface BaseNodeAddress {
  /** Stable node id (as the base node reports it in Capabilities). */
  readonly id: string;
  /** host:port of its gRPC BaseNode service. */
  readonly grpcAddress: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

export interface IntermediaryOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** gRPC port; 0 picks a free one (default 0). */
  port?: number;
  baseNodes: readonly BaseNodeAddress[];
  /** Fragments in flight per query when the request leaves max_concurrency at 0 (default 4). */
  maxConcurrency?: number;
  /** Bytes of buffered batches and pulled objects in flight per query (default 256 MiB). */
  memoryBudgetBytes?: number;
  /**
   * What a request with PLACEMENT_AUTO (the proto default, so also "nothing asked") runs as:
   * AUTO decides per fragment; PUSHDOWN or NO_PUSHDOWN force one for the whole server (default AUTO).
   */
  defaultPlacement?: PlacementName;
  /** Catalog refresh period; 0 turns the timer off (refresh still happens on unknown tables). Default 30 s. */
  catalogRefreshMs?: number;
  /** Size of each ranged GET on the no-pushdown path (default 8 MiB). */
  pullRangeBytes?: number;
  /** Longest SQL text accepted (default 1 MiB). */
  maxSqlBytes?: number;
  /** Deadline of each catalog call to a base node (default 5 s). */
  catalogTimeoutMs?: number;
  /** Where pulled objects larger than half the memory budget are spooled (default os.tmpdir()). */
  spoolDir?: string;
  /**
   * Worker threads a NO_PUSHDOWN scan here uses when the query does not say (0 = auto: this
   * process's CPU budget, cgroup quota included).
   */
  parallelism?: number;
  /**
   * Folder of installed plugins: loaded at start (SQL binds their functions, NO_PUSHDOWN runs
   * them) and written by Intermediary.InstallPlugin. Unset: only shipped plugins, no installs.
   */
  pluginDir?: string;
  /** Structured log sink (default: silent). */
  logger?: Logger;
}

export type ResolvedIntermediaryOptions = Required<Omit<IntermediaryOptions, 'spoolDir' | 'pluginDir'>> & {
  spoolDir: string | null;
  pluginDir: string | null;
};

export const DEFAULT_INTERMEDIARY_OPTIONS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  maxConcurrency: 4,
  memoryBudgetBytes: 256 * 1024 * 1024,
  defaultPlacement: 'AUTO' as PlacementName,
  catalogRefreshMs: 30_000,
  pullRangeBytes: 8 * 1024 * 1024,
  maxSqlBytes: 1024 * 1024,
  catalogTimeoutMs: 5_000,
  parallelism: 0,
});

const KNOWN_KEYS = new Set([
  'host',
  'port',
  'baseNodes',
  'maxConcurrency',
  'memoryBudgetBytes',
  'defaultPlacement',
  'catalogRefreshMs',
  'pullRangeBytes',
  'maxSqlBytes',
  'catalogTimeoutMs',
  'parallelism',
  'spoolDir',
  'pluginDir',
  'logger',
]);

/** Old or likely misspelled names, so a wrong option fails loudly and names the right one. */
const RENAMED: Record<string, string> = {
  concurrency: 'maxConcurrency',
  memoryBudget: 'memoryBudgetBytes',
  memoryLimitBytes: 'memoryBudgetBytes',
  placement: 'defaultPlacement',
  nodes: 'baseNodes',
  refreshMs: 'catalogRefreshMs',
};

const PLACEMENTS: readonly PlacementName[] = ['AUTO', 'PUSHDOWN', 'NO_PUSHDOWN'];

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

function isNonNegativeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Checks options and fills defaults; throws InvalidArgumentError with a message tests pin. */
export function validateIntermediaryOptions(options: IntermediaryOptions): ResolvedIntermediaryOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (KNOWN_KEYS.has(key)) continue;
    const right = RENAMED[key];
    throw new InvalidArgumentError(
      right
        ? `options.${key} is not an option; did you mean options.${right}?`
        : `options.${key} is not an option`,
    );
  }
  const o = { ...DEFAULT_INTERMEDIARY_OPTIONS, ...stripUndefined(options) };
  if (typeof o.host !== 'string' || o.host === '')
    throw new InvalidArgumentError('options.host must be a non-empty string');
  if (!isNonNegativeInt(o.port) || o.port > 65535) {
    throw new InvalidArgumentError('options.port must be an integer from 0 to 65535');
  }
  if (!Array.isArray(o.baseNodes))
    throw new InvalidArgumentError('options.baseNodes must be an array of {id, grpcAddress}');
  const seen = new Set<string>();
  for (const [i, node] of o.baseNodes.entries()) {
    if (typeof node?.id !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(node.id)) {
      throw new InvalidArgumentError(
        `options.baseNodes[${i}].id must be a non-empty string of letters, digits, '_', '.', '-'`,
      );
    }
    if (typeof node.grpcAddress !== 'string' || !/^.+:\d+$/.test(node.grpcAddress)) {
      throw new InvalidArgumentError(`options.baseNodes[${i}].grpcAddress must be host:port`);
    }
    if (seen.has(node.id)) throw new InvalidArgumentError(`options.baseNodes has the id "${node.id}" twice`);
    seen.add(node.id);
  }
  if (!isPositiveInt(o.maxConcurrency))
    throw new InvalidArgumentError('options.maxConcurrency must be a positive integer');
  if (!isPositiveInt(o.memoryBudgetBytes)) {
    throw new InvalidArgumentError('options.memoryBudgetBytes must be a positive integer');
  }
  if (!PLACEMENTS.includes(o.defaultPlacement)) {
    throw new InvalidArgumentError('options.defaultPlacement must be one of AUTO, PUSHDOWN, NO_PUSHDOWN');
  }
  if (!isNonNegativeInt(o.catalogRefreshMs)) {
    throw new InvalidArgumentError(
      'options.catalogRefreshMs must be a non-negative integer (0 turns the timer off)',
    );
  }
  if (!isPositiveInt(o.pullRangeBytes))
    throw new InvalidArgumentError('options.pullRangeBytes must be a positive integer');
  if (!isPositiveInt(o.maxSqlBytes))
    throw new InvalidArgumentError('options.maxSqlBytes must be a positive integer');
  if (!isPositiveInt(o.catalogTimeoutMs))
    throw new InvalidArgumentError('options.catalogTimeoutMs must be a positive integer');
  if (!isNonNegativeInt(o.parallelism) || o.parallelism > 256)
    throw new InvalidArgumentError('options.parallelism must be an integer from 0 (auto) to 256');
  if (options.spoolDir !== undefined && (typeof options.spoolDir !== 'string' || options.spoolDir === '')) {
    throw new InvalidArgumentError('options.spoolDir must be a non-empty string');
  }
  if (
    options.pluginDir !== undefined &&
    (typeof options.pluginDir !== 'string' || options.pluginDir === '')
  ) {
    throw new InvalidArgumentError('options.pluginDir must be a non-empty string');
  }
  if (options.logger !== undefined && typeof options.logger !== 'function') {
    throw new InvalidArgumentError('options.logger must be a function');
  }
  return {
    host: o.host,
    port: o.port,
    baseNodes: o.baseNodes.map((n) => ({ id: n.id, grpcAddress: n.grpcAddress })),
    maxConcurrency: o.maxConcurrency,
    memoryBudgetBytes: o.memoryBudgetBytes,
    defaultPlacement: o.defaultPlacement,
    catalogRefreshMs: o.catalogRefreshMs,
    pullRangeBytes: o.pullRangeBytes,
    maxSqlBytes: o.maxSqlBytes,
    catalogTimeoutMs: o.catalogTimeoutMs,
    parallelism: o.parallelism,
    spoolDir: options.spoolDir ?? null,
    pluginDir: options.pluginDir ?? null,
    logger: options.logger ?? (() => {}),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
