#!/usr/bin/env node
/**
 * `pushdown-intermediary`: the intermediary as a process. The only file that reads argv or the
 * environment. Prints exactly one JSON line on stdout when ready:
 *   {"event":"listening","grpc":"127.0.0.1:PORT"}
 * and logs JSON lines on stderr. SIGTERM/SIGINT close it gracefully.
 */
import { parseArgs } from 'node:util';
import {
  validateIntermediaryOptions,
  type BaseNodeAddress,
  type IntermediaryOptions,
  type LogLevel,
  type PlacementName,
} from './options.js';
import { startIntermediary } from './service/start-intermediary.js';

const HELP = `Usage: pushdown-intermediary [options]

Serves pushdown.v1.Intermediary over gRPC in front of one or more base nodes.

Options:
  --host HOST                 interface to bind (default 127.0.0.1)
  --port PORT                 gRPC port, 0 for a free one (default 0)
  --base-node ID=HOST:PORT    a base node's gRPC address; repeat for each node
  --max-concurrency N         fragments in flight per query (default 4)
  --memory-budget BYTES       bytes buffered per query (default 268435456; suffixes k, m, g allowed)
  --default-placement P       what PLACEMENT_AUTO runs as: auto, pushdown, no-pushdown (default auto)
  --catalog-refresh-ms MS     catalog refresh period, 0 = only on demand (default 30000)
  --plugin-dir DIR            installed plugins: loaded at start, written by InstallPlugin
                              (default: none, so only shipped plugins and no installs)
  --log-level LEVEL           debug, info, warn, error (default info; env PUSHDOWN_LOG_LEVEL)
  -h, --help                  show this help

When ready, prints one line on stdout: {"event":"listening","grpc":"HOST:PORT"}.`;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

class UsageError extends Error {}

function parseBaseNode(spec: string): BaseNodeAddress {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1)
    throw new UsageError(`--base-node must be ID=HOST:PORT, got "${spec}"`);
  return { id: spec.slice(0, eq), grpcAddress: spec.slice(eq + 1) };
}

function parseInteger(flag: string, text: string, allowSuffix = false): number {
  const m = /^(\d+)([kmg]?)(i?b)?$/i.exec(text.trim());
  if (!m || (!allowSuffix && (m[2] || m[3])))
    throw new UsageError(`${flag} must be a non-negative integer, got "${text}"`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

function parsePlacement(text: string): PlacementName {
  const p = text.toUpperCase().replace(/-/g, '_');
  if (p === 'AUTO' || p === 'PUSHDOWN' || p === 'NO_PUSHDOWN') return p;
  throw new UsageError(`--default-placement must be auto, pushdown or no-pushdown, got "${text}"`);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'base-node': { type: 'string', multiple: true },
        'max-concurrency': { type: 'string' },
        'memory-budget': { type: 'string' },
        'default-placement': { type: 'string' },
        'catalog-refresh-ms': { type: 'string' },
        'plugin-dir': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    usageFailure((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const levelText = values['log-level'] ?? process.env['PUSHDOWN_LOG_LEVEL'] ?? 'info';
  if (!LEVELS.includes(levelText as LogLevel))
    usageFailure(`--log-level must be one of ${LEVELS.join(', ')}`);
  const minLevel = LEVELS.indexOf(levelText as LogLevel);
  const logger = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS.indexOf(level) < minLevel) return;
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`,
    );
  };

  let input: IntermediaryOptions;
  try {
    input = {
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(values.port !== undefined ? { port: parseInteger('--port', values.port) } : {}),
      baseNodes: (values['base-node'] ?? []).map(parseBaseNode),
      ...(values['max-concurrency'] !== undefined
        ? { maxConcurrency: parseInteger('--max-concurrency', values['max-concurrency']) }
        : {}),
      ...(values['memory-budget'] !== undefined
        ? { memoryBudgetBytes: parseInteger('--memory-budget', values['memory-budget'], true) }
        : {}),
      ...(values['default-placement'] !== undefined
        ? { defaultPlacement: parsePlacement(values['default-placement']) }
        : {}),
      ...(values['catalog-refresh-ms'] !== undefined
        ? { catalogRefreshMs: parseInteger('--catalog-refresh-ms', values['catalog-refresh-ms']) }
        : {}),
      ...(values['plugin-dir'] !== undefined ? { pluginDir: values['plugin-dir'] } : {}),
      logger,
    };
    validateIntermediaryOptions(input);
  } catch (err) {
    usageFailure((err as Error).message);
  }
  if (input.baseNodes.length === 0) logger('warn', 'no --base-node given: the catalog will be empty');

  const handle = await startIntermediary(input);
  process.stdout.write(`${JSON.stringify({ event: 'listening', grpc: handle.address })}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger('warn', `second ${signal}: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger('info', `${signal}: shutting down`);
    handle.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger('error', 'shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Last line of defence: log and keep serving; every code path already handles its promises.
  process.on('unhandledRejection', (reason) =>
    logger('error', 'unhandled rejection', { error: String(reason) }),
  );
}

function usageFailure(message: string): never {
  process.stderr.write(`pushdown-intermediary: ${message}\nRun with --help for usage.\n`);
  process.exit(2);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'error', message: 'failed to start', error: String(err) })}\n`,
  );
  process.exit(1);
});
