/**
 * Entry point of the Compose `loader` service:
 *   node load-tables-main.js --addr intermediary:50051 --node b1=b1:7001 ... --tables JSON
 * Generates and puts whatever the base nodes are missing, then exits 0; any failure prints
 * `loader: error: ...` and exits non-zero, which `docker compose ps -a` shows.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatErrorLine } from '../client/errors.js';
import { parseLoadTablesArgs } from './load-plan.js';
import { loadTables } from './load-tables.js';

const log = (line: string): void => void process.stdout.write(`loader: ${line}\n`);

try {
  const plan = parseLoadTablesArgs(process.argv.slice(2));
  const result = await loadTables(plan, { workDir: join(tmpdir(), 'pushdown-load'), log });
  log(`done: ${result.put.length} objects put, ${result.kept} already present`);
} catch (err) {
  process.stderr.write(`loader: ${formatErrorLine(err)}\n`);
  process.exitCode = 1;
}
