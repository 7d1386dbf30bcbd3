/**
 * Container health check: `node health-probe-main.js HOST:PORT` exits 0 when the server there
 * answers grpc.health.v1 SERVING, 1 otherwise. Imports only the health client (gRPC and the
 * health proto), not the CLI, so each probe costs a base node little of its CPU quota.
 */
import { checkHealth } from '../client/health.js';

const address = process.argv[2];
if (!address || process.argv.length > 3) {
  process.stderr.write('usage: health-probe-main.js HOST:PORT\n');
  process.exit(2);
}
const result = await checkHealth(address, '', 4_000);
process.stdout.write(`${address} ${result.status}${result.detail ? `: ${result.detail}` : ''}\n`);
process.exit(result.status === 'SERVING' ? 0 : 1);
