/** Options several commands share, declared once so their help reads the same everywhere. */
import { InvalidArgumentError as CommanderArgumentError, Option, type Command } from 'commander';

export interface ClientFlags {
  addr?: string;
  dataDir?: string;
  timeout?: number;
}

export function addDataDirOption(cmd: Command): Command {
  return cmd.option(
    '--data-dir <dir>',
    'folder of the local topology: state file, logs, node data',
    '.pushdown',
  );
}

/** --addr, --data-dir (to find a running topology), --timeout. */
export function addClientOptions(cmd: Command): Command {
  addDataDirOption(cmd);
  return cmd
    .option(
      '--addr <host:port>',
      'intermediary address (default: $PUSHDOWN_ADDR, the running topology, 127.0.0.1:50051)',
    )
    .addOption(
      new Option('--timeout <ms>', 'give up after this many milliseconds (gRPC deadline)').argParser(
        positiveInt('--timeout'),
      ),
    );
}

/** Commander argParser for a positive integer flag; commander prints the message and exits 2. */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new CommanderArgumentError(`${flag} expects a positive integer.`);
    }
    return n;
  };
}

/** Like positiveInt, but 0 is allowed (ports: 0 picks a free one). */
export function portNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      throw new CommanderArgumentError(`${flag} expects an integer in 0..65535 (0 picks a free port).`);
    }
    return n;
  };
}
