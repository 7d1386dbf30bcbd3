/**
 * WASI calls about the process rather than files: args_*, environ_*, clock_res_get,
 * clock_time_get, random_get, proc_exit, sched_yield. Arguments and environment come from the
 * host's options only, never from the host process.
 */
import { randomFillSync } from 'node:crypto';
import { CLOCK, ERRNO } from './wasi-abi.js';
import type { WasiFn } from './wasi-calls-fd.js';
import type { WasiState } from './wasi-state.js';
import { WasiExit } from './wasi-types.js';

/** Writes NUL-terminated strings into `buf` and their addresses into `ptrs` (argv/environ layout). */
function writeStrings(s: WasiState, list: readonly string[], ptrs: number, buf: number): number {
  let at = buf;
  list.forEach((str, i) => {
    const bytes = Buffer.from(`${str}\0`);
    s.memory.bytes(at, bytes.length).set(bytes);
    s.memory.setU32(ptrs + i * 4, at);
    at += bytes.length;
  });
  return ERRNO.SUCCESS;
}

function writeSizes(s: WasiState, list: readonly string[], countPtr: number, sizePtr: number): number {
  s.memory.setU32(countPtr, list.length);
  s.memory.setU32(
    sizePtr,
    list.reduce((n, str) => n + Buffer.byteLength(str) + 1, 0),
  );
  return ERRNO.SUCCESS;
}

// Resolutions in ns: the wall clock comes from Date (ms) refined by performance.now (µs),
// the monotonic clock from hrtime (ns), CPU time from process.cpuUsage (µs).
const RESOLUTION: Record<number, bigint> = {
  [CLOCK.REALTIME]: 1_000n,
  [CLOCK.MONOTONIC]: 1n,
  [CLOCK.PROCESS_CPUTIME]: 1_000n,
  [CLOCK.THREAD_CPUTIME]: 1_000n,
};

function now(clock: number): bigint | undefined {
  switch (clock) {
    case CLOCK.REALTIME:
      return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
    case CLOCK.MONOTONIC:
      return process.hrtime.bigint();
    case CLOCK.PROCESS_CPUTIME:
    case CLOCK.THREAD_CPUTIME: {
      const u = process.cpuUsage();
      return BigInt(u.user + u.system) * 1000n;
    }
    default:
      return undefined;
  }
}

export function envCalls(s: WasiState): Record<string, WasiFn> {
  return {
    args_sizes_get: (count, size) => writeSizes(s, s.args, count as number, size as number),
    args_get: (ptrs, buf) => writeStrings(s, s.args, ptrs as number, buf as number),
    environ_sizes_get: (count, size) => writeSizes(s, s.env, count as number, size as number),
    environ_get: (ptrs, buf) => writeStrings(s, s.env, ptrs as number, buf as number),
    clock_res_get: (id, ptr) => {
      const res = RESOLUTION[id as number];
      if (res === undefined) return ERRNO.INVAL;
      s.memory.setU64(ptr as number, res);
      return ERRNO.SUCCESS;
    },
    clock_time_get: (id, _precision, ptr) => {
      const t = now(id as number);
      if (t === undefined) return ERRNO.INVAL;
      s.memory.setU64(ptr as number, t);
      return ERRNO.SUCCESS;
    },
    random_get: (buf, len) => {
      randomFillSync(s.memory.bytes(buf as number, len as number));
      return ERRNO.SUCCESS;
    },
    // Unwinds the guest's stack; the host catches WasiExit around the export call.
    proc_exit: (code) => {
      s.exitCode = code as number;
      throw new WasiExit(code as number);
    },
    sched_yield: () => ERRNO.SUCCESS,
  };
}
