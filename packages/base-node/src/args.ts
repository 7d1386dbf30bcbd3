/**
 * Command-line flags of `pushdown-base-node` → BaseNodeOptions. Takes the argument list as a
 * parameter (main.ts passes process.argv) so it can be tested without a process.
 */
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@pushdown/proto';
import type { BaseNodeOptions } from './options.js';

export const USAGE = `Usage: pushdown-base-node --node-id ID --data-dir DIR [options]

Runs one base node: object store, HTTP object API and the gRPC BaseNode service.

Options:
  --node-id ID              name of this node (required)
  --data-dir DIR            where objects are stored (required)
  --host H                  address to bind (default 127.0.0.1)
  --grpc-port P             gRPC port, 0 = any free port (default 0)
  --http-port P             HTTP object API port, 0 = any free port (default 0)
  --max-object-bytes N      largest object a put accepts (default 4294967296)
  --cpu-quota F             fraction of a core this node has, reported in Capabilities (0 = unknown)
  --memory-limit BYTES      memory limit reported in Capabilities (0 = unknown)
  --link-latency-ms MS      emulated link: delay added to each message sent (default 0)
  --link-bandwidth-mbps M   emulated link: cap on bytes sent, Mbit/s (default 0 = unlimited)
  --calibrate-ms MS         before listening, spin MS ms and print the CPU fraction it got
  --parallelism N           worker threads per scan when the query does not say (default 0 =
                            auto: the CPU budget from the cgroup quota, --cpu-quota and the CPUs)
  --plugin-dir DIR          installed plugins, loaded at start and written by InstallPlugin
                            (default <data-dir>/plugins)
  --help                    show this help

When listening it prints one JSON line to stdout:
  {"event":"listening","nodeId":"...","grpc":"HOST:PORT","http":"http://HOST:PORT"}
With --calibrate-ms, one line before it:
  {"event":"calibrated","cpuFraction":0.25,"wallMs":...,"cpuMs":...}
Logs go to stderr. SIGTERM or SIGINT shuts it down gracefully.`;

export type ParsedArgs =
  | { help: true }
  | {
      help: false;
      options: BaseNodeOptions;
      /** Set when --calibrate-ms asks for it. */ calibrateMs?: number;
    };

export function parseBaseNodeArgs(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'node-id': { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        'grpc-port': { type: 'string' },
        'http-port': { type: 'string' },
        'max-object-bytes': { type: 'string' },
        'cpu-quota': { type: 'string' },
        'memory-limit': { type: 'string' },
        'link-latency-ms': { type: 'string' },
        'link-bandwidth-mbps': { type: 'string' },
        'calibrate-ms': { type: 'string' },
        parallelism: { type: 'string' },
        'plugin-dir': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message, { hint: 'see --help' });
  }
  if (values.help) return { help: true };
  const str = (flag: string): string | undefined => values[flag] as string | undefined;
  const num = (flag: string): number | undefined => {
    const v = str(flag);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`--${flag} must be a number, got "${v}"`);
    return n;
  };
  const nodeId = str('node-id');
  const dataDir = str('data-dir');
  if (!nodeId) throw new InvalidArgumentError('--node-id is required', { hint: 'see --help' });
  if (!dataDir) throw new InvalidArgumentError('--data-dir is required', { hint: 'see --help' });
  const optional = {
    host: str('host'),
    grpcPort: num('grpc-port'),
    httpPort: num('http-port'),
    maxObjectBytes: num('max-object-bytes'),
    cpuQuota: num('cpu-quota'),
    memoryLimitBytes: num('memory-limit'),
    parallelism: num('parallelism'),
    linkLatencyMs: num('link-latency-ms'),
    linkBandwidthMbps: num('link-bandwidth-mbps'),
    pluginDir: str('plugin-dir'),
  };
  const calibrateMs = num('calibrate-ms') ?? 0;
  if (calibrateMs < 0 || calibrateMs > 60_000) {
    throw new InvalidArgumentError(`--calibrate-ms must be in 0..60000, got ${calibrateMs}`);
  }
  const options: BaseNodeOptions = {
    nodeId,
    dataDir,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
  return { help: false, options, ...(calibrateMs > 0 ? { calibrateMs } : {}) };
}
