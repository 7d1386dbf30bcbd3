/**
 * Entry point of the `pushdown` command (bin/pushdown.js imports this). The only module that
 * reads process.argv and process.env; everything below takes a CliContext.
 */
import { runCli } from './commands/program.js';

const controller = new AbortController();
let shutdown: ((signal: string) => void) | undefined;
const shutdownRequested = new Promise<string>((resolve) => (shutdown = resolve));

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (controller.signal.aborted) {
      // Second Ctrl-C: the user means it.
      process.exit(130);
    }
    shutdown?.(sig);
    controller.abort(new Error(sig));
  });
}

// `pushdown query ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const envAddr = process.env['PUSHDOWN_ADDR'];
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  ...(envAddr ? { envAddr } : {}),
  signal: controller.signal,
  waitForShutdown: () => shutdownRequested,
});
process.exitCode = code;
