/**
 * What every command gets from the entry point: its streams, the environment values it may
 * use, the working directory and a cancellation signal. Only main.ts reads process.env/argv.
 */
import { resolve } from 'node:path';
import { InvalidArgumentError } from '@pushdown/proto';
import { validateAddress } from '../client/options.js';
import { readLiveState, type StateInspection } from '../topology/state-file.js';

export interface OutputStream {
  write(chunk: string | Uint8Array, cb?: (err?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliContext {
  stdout: OutputStream;
  stderr: OutputStream;
  cwd: string;
  /** PUSHDOWN_ADDR, when set. */
  envAddr?: string;
  /** Aborted on Ctrl-C: long commands cancel their calls and exit 130. */
  signal: AbortSignal;
  /** Lets `start` stay in the foreground until SIGINT/SIGTERM; resolves with the signal name. */
  waitForShutdown: () => Promise<string>;
}

export const DEFAULT_DATA_DIR = '.pushdown';
export const FALLBACK_ADDRESS = '127.0.0.1:50051';

export function dataDirOf(ctx: CliContext, flag: string | undefined): string {
  return resolve(ctx.cwd, flag ?? DEFAULT_DATA_DIR);
}

export interface AddressChoice {
  address: string;
  source: '--addr' | 'PUSHDOWN_ADDR' | 'state file' | 'default';
  /** The running topology, when the address came from (or a state file exists in) the data dir. */
  live?: StateInspection;
}

/** --addr, else PUSHDOWN_ADDR, else the state file of a running `pushdown start`, else the default. */
export async function resolveAddress(
  ctx: CliContext,
  opts: { addr?: string; dataDir?: string },
): Promise<AddressChoice> {
  const live = await readLiveState(dataDirOf(ctx, opts.dataDir)).catch(() => undefined);
  const withLive = live ? { live } : {};
  if (opts.addr) return { address: checkAddr(opts.addr, '--addr'), source: '--addr', ...withLive };
  if (ctx.envAddr)
    return { address: checkAddr(ctx.envAddr, 'PUSHDOWN_ADDR'), source: 'PUSHDOWN_ADDR', ...withLive };
  if (live) return { address: live.state.intermediary, source: 'state file', live };
  return { address: FALLBACK_ADDRESS, source: 'default' };
}

function checkAddr(value: string, from: string): string {
  try {
    return validateAddress(value);
  } catch (err) {
    throw new InvalidArgumentError(`${from}: ${(err as Error).message}`);
  }
}

/** Writes everything, honouring backpressure; never ends the stream (stdout must stay open). */
export async function writeAll(
  out: OutputStream,
  chunks: AsyncIterable<Uint8Array | string>,
): Promise<number> {
  let n = 0;
  for await (const c of chunks) {
    n += typeof c === 'string' ? Buffer.byteLength(c) : c.byteLength;
    if (!out.write(c)) await new Promise<void>((r) => out.once('drain', r));
  }
  return n;
}

export function println(out: OutputStream, line = ''): void {
  out.write(`${line}\n`);
}
