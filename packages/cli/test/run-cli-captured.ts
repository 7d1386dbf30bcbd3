/**
 * Runs `pushdown ARGV...` in this process (runCli) with stdout and stderr captured, in `cwd`:
 * what the CLI tests assert on (exit code and both streams).
 */
import type { CliContext, OutputStream } from '../src/commands/context.js';
import { runCli } from '../src/commands/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): OutputStream & { text: () => string } {
  let buf = '';
  return {
    write: (chunk: string | Uint8Array) => ((buf += chunk.toString()), true),
    once: () => undefined,
    text: () => buf,
  };
}

export async function runCliCaptured(argv: readonly string[], cwd: string): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const ctx: CliContext = {
    stdout,
    stderr,
    cwd,
    signal: new AbortController().signal,
    waitForShutdown: () => new Promise(() => {}),
  };
  const code = await runCli([...argv], ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
