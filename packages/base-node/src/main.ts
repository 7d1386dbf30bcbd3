/**
 * Process entry point of a base node (`pushdown-base-node`, or `node dist/main.js`). The only
 * module that reads argv; prints one JSON "listening" line on stdout for launchers (ports may
 * be 0), logs to stderr, and shuts down gracefully on SIGTERM or SIGINT.
 */
import { parseBaseNodeArgs, USAGE } from './args.js';

const log = (line: string): void => {
  process.stderr.write(`${new Date().toISOString()} base-node ${line}\n`);
};

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseBaseNodeArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`pushdown-base-node: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (parsed.calibrateMs !== undefined) {
    // Before the servers exist, so nothing else competes for this process's CPU.
    const { calibrateCpu } = await import('./calibrate.js');
    process.stdout.write(`${JSON.stringify({ event: 'calibrated', ...calibrateCpu(parsed.calibrateMs) })}\n`);
  }
  // Loaded only now, so --help and flag errors answer without loading the engine and gRPC.
  const { startBaseNode } = await import('./node.js');
  const node = await startBaseNode({ ...parsed.options, log });
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', nodeId: node.nodeId, grpc: node.grpcAddress, http: node.httpUrl })}\n`,
  );
  log(
    `node ${node.nodeId} serving gRPC on ${node.grpcAddress}, HTTP on ${node.httpUrl}, data in ${node.store.dataDir}`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    node.close(5000).then(
      () => process.exit(0),
      (err: unknown) => {
        log(`shutdown failed: ${(err as Error)?.stack ?? String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A stray rejection in one request must not take the node (and every other request) down.
  process.on('unhandledRejection', (reason) =>
    log(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`pushdown-base-node: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
