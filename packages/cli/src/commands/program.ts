/**
 * The `pushdown` command tree and its runner: parses, runs one command, and turns any failure
 * into `error: <message> (<GRPC_STATUS>)` on stderr plus an exit code per error class.
 */
import { Command, CommanderError } from 'commander';
import { describeError, ExitCode, formatErrorLine } from '../client/errors.js';
import { composeCommand } from './compose.js';
import type { CliContext } from './context.js';
import { experimentCommand } from './experiment.js';
import { explainCommand } from './explain.js';
import { genCommand } from './gen.js';
import { lsCommand } from './ls.js';
import { pluginsCommand } from './plugins.js';
import { putCommand } from './put.js';
import { queryCommand } from './query.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';
import { stopCommand } from './stop.js';

export const CLI_VERSION = '0.1.0';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('pushdown')
    .description('Pushdown Lab: run SQL over a two-tier storage system with WebAssembly pushdown operators')
    .version(CLI_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ pushdown start --demo                              # generate TPC-H, load it, compare placements
  $ pushdown query "SELECT count(*) AS n FROM lineitem" --placement pushdown
  $ pushdown status

Client commands find the intermediary via --addr, $PUSHDOWN_ADDR, or the running topology.`,
    );
  const commands = [
    startCommand(ctx),
    stopCommand(ctx),
    statusCommand(ctx),
    genCommand(ctx),
    putCommand(ctx),
    lsCommand(ctx),
    queryCommand(ctx),
    explainCommand(ctx),
    experimentCommand(ctx),
    composeCommand(ctx),
    pluginsCommand(ctx),
  ];
  for (const c of commands) program.addCommand(c);
  const output = {
    writeOut: (s: string) => void ctx.stdout.write(s),
    writeErr: (s: string) => void ctx.stderr.write(s),
  };
  for (const c of [program, ...commands]) {
    c.exitOverride().configureOutput(output).showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

/** Runs the CLI on `argv` (without node and script) and resolves with the exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (unknown option, missing argument, ...).
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      ) {
        return ExitCode.OK;
      }
      return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (ctx.signal.aborted) {
      ctx.stderr.write('interrupted\n');
      return ExitCode.CANCELLED;
    }
    ctx.stderr.write(`${formatErrorLine(err)}\n`);
    return describeError(err).exitCode;
  }
}
