/**
 * Trace mode, an strace for plugins: `traceImports` wraps any import object so each call is
 * reported; `formatHostCall` prints one call as a line; `summarizeHostCalls` and
 * `formatTraceSummary` give the table of counts and time per call name. The WASI host reports its
 * own calls (with decoded paths) through `WasiOptions.trace`; wrap only the other namespaces here
 * so no call is reported twice.
 *
 * @example
 * const calls: HostCall[] = [];
 * const host = createWasiHost({ imports, trace: (c) => calls.push(c) });
 * const env = traceImports({ env: { memory, log } }, (c) => calls.push(c));
 * // ... run ...
 * for (const c of calls) console.log(formatHostCall(c));
 * console.log(formatTraceSummary(summarizeHostCalls(calls)));
 */
import { errnoName } from './wasi-abi.js';
import { WASI_MODULE, type HostCall } from './wasi-types.js';

/** Wraps every function of an import object so each call is reported to `onCall` (name, args, result, duration). */
export function traceImports(
  imports: WebAssembly.Imports,
  onCall: (call: HostCall) => void,
): WebAssembly.Imports {
  const out: WebAssembly.Imports = {};
  for (const [module, members] of Object.entries(imports)) {
    const wrapped: WebAssembly.ModuleImports = {};
    for (const [name, value] of Object.entries(members)) {
      if (typeof value !== 'function') {
        wrapped[name] = value; // memories, tables and globals pass through
        continue;
      }
      const fn = value as (...args: unknown[]) => unknown;
      wrapped[name] = (...args: (number | bigint)[]) => {
        const start = performance.now();
        try {
          const result = fn(...args);
          const r = typeof result === 'number' || typeof result === 'bigint' ? result : undefined;
          onCall({ module, name, args, result: r, durationMs: performance.now() - start });
          return result;
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          onCall({ module, name, args, result: undefined, durationMs: performance.now() - start, error });
          throw err;
        }
      };
    }
    out[module] = wrapped;
  }
  return out;
}

/** Did the call fail: it threw, or it is a WASI call that returned a non-zero errno. */
export function isFailedCall(call: HostCall): boolean {
  return (
    call.error !== undefined ||
    (call.module === WASI_MODULE && typeof call.result === 'number' && call.result !== 0)
  );
}

/**
 * One call as a line, like strace:
 * `path_open(fd=3, dirflags=0, "object.jsonl", ...) = 0 <0.012 ms> fd 5`, or
 * `path_open(fd=3, ..., "../etc/passwd", ...) = 76 NOTCAPABLE <0.004 ms>`.
 */
export function formatHostCall(call: HostCall): string {
  const who = call.module === WASI_MODULE ? call.name : `${call.module}.${call.name}`;
  const args = call.text ?? call.args.map(String).join(', ');
  let result: string;
  if (call.error !== undefined) result = `! ${call.error}`;
  else if (call.result === undefined) result = '(void)';
  else if (call.module === WASI_MODULE && typeof call.result === 'number' && call.result !== 0) {
    result = `${call.result} ${errnoName(call.result)}`;
  } else result = String(call.result);
  const detail = call.detail !== undefined ? ` ${call.detail}` : '';
  return `${who}(${args}) = ${result} <${call.durationMs.toFixed(3)} ms>${detail}`;
}

export interface HostCallSummary {
  /** `fd_read`, or `module.name` outside WASI. */
  name: string;
  calls: number;
  totalMs: number;
  meanUs: number;
  errors: number;
}

/** Counts and time per call name, most total time first. */
export function summarizeHostCalls(calls: readonly HostCall[]): HostCallSummary[] {
  const rows = new Map<string, HostCallSummary>();
  for (const c of calls) {
    const name = c.module === WASI_MODULE ? c.name : `${c.module}.${c.name}`;
    const row = rows.get(name) ?? { name, calls: 0, totalMs: 0, meanUs: 0, errors: 0 };
    row.calls++;
    row.totalMs += c.durationMs;
    if (isFailedCall(c)) row.errors++;
    rows.set(name, row);
  }
  for (const row of rows.values()) row.meanUs = (row.totalMs * 1000) / row.calls;
  return [...rows.values()].sort((a, b) => b.totalMs - a.totalMs || a.name.localeCompare(b.name));
}

/** The summary as an aligned table with a total line, like `strace -c`. */
export function formatTraceSummary(rows: readonly HostCallSummary[]): string {
  const header = ['calls', 'total ms', 'mean µs', 'errors', 'call'];
  const body = rows.map((r) => [
    String(r.calls),
    r.totalMs.toFixed(3),
    r.meanUs.toFixed(1),
    String(r.errors),
    r.name,
  ]);
  const sum = (f: (r: HostCallSummary) => number) => rows.reduce((n, r) => n + f(r), 0);
  body.push([
    String(sum((r) => r.calls)),
    sum((r) => r.totalMs).toFixed(3),
    '',
    String(sum((r) => r.errors)),
    'total',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...body.slice(0, -1).map(line), rule, line(body.at(-1)!)].join('\n');
}
