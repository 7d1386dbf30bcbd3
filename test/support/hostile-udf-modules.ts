// Hostile scalar-UDF plugins for the SQL hostile suite, installed into a plugin folder the way
// `pushdown plugins add` would (a folder per plugin: <name>.wasm + manifest.json with its hash).
// The int32 → int32 ones are the sandbox suite's hand-assembled modules; `huge` is
// int32 → utf8 and asks for 256 MiB of result data, far above the host's output cap.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOSTILE_BODIES, hostileModule } from '../../packages/plugins/test/sandbox-hostile-modules.js';

export const HOSTILE_BUDGET_MS = 100;
export const HOSTILE_MEMORY_PAGES = 16;
export const HUGE_OUTPUT_BYTES = 1 << 28;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
/** Signed LEB128, for i32.const operands. */
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const str = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

/** (values, validity, rows, outOffsets, outData, capacity, outValidity) -> -HUGE_OUTPUT_BYTES. */
function hugeOutputModule(): Uint8Array {
  const params = 7;
  const type = [0x60, params, ...Array<number>(params).fill(0x7f), 1, 0x7f];
  const code = [0, 0x41, ...sleb(-HUGE_OUTPUT_BYTES), 0x0b];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([type])),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0]])),
    ...section(6, vec([[0x7f, 0x00, 0x41, 1, 0x0b]])),
    ...section(
      7,
      vec([
        [...str('f'), 0x00, 0],
        [...str('ABI_VERSION'), 0x03, 0],
      ]),
    ),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

/** The hostile plugins, by name; plugin `x` exports one function, `x_udf`. */
export const HOSTILE_PLUGINS = [
  'spin',
  'memory_bomb',
  'unreachable',
  'recurse',
  'out_of_bounds',
  'huge',
] as const;
export type HostilePlugin = (typeof HOSTILE_PLUGINS)[number];

/**
 * Writes every hostile plugin into `dir`. Each exports one function named after itself plus
 * `_udf` (SQL resolves functions by name across plugins, so the names must differ).
 */
export function installHostilePlugins(dir: string): void {
  for (const name of HOSTILE_PLUGINS) {
    const bytes = name === 'huge' ? hugeOutputModule() : hostileModule(HOSTILE_BODIES[name]);
    const fn = `${name}_udf`;
    const renamed = renameExport(bytes, 'f', fn);
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `${name}.wasm`), renamed);
    writeFileSync(
      join(d, 'manifest.json'),
      JSON.stringify({
        name,
        version: '0.1.0',
        abiVersion: 1,
        kind: 'scalar-udf',
        exports: [{ name: fn, args: ['int32'], result: name === 'huge' ? 'utf8' : 'int32' }],
        runsOn: ['base', 'intermediary'],
        limits: { memoryPages: HOSTILE_MEMORY_PAGES, timeBudgetMs: HOSTILE_BUDGET_MS },
        imports: ['env.memory'],
        sha256: createHash('sha256').update(renamed).digest('hex'),
      }),
    );
  }
}

/** The module with export `from` renamed `to` (the export section is rebuilt; nothing else moves). */
function renameExport(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const out: number[] = [...bytes.subarray(0, 8)];
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p]!;
    let size = 0;
    let shift = 0;
    let q = p + 1;
    for (;;) {
      const b = bytes[q++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    const body = [...bytes.subarray(q, q + size)];
    if (id === 7) {
      const fromBytes = str(from);
      const at = body.findIndex((_, i) => fromBytes.every((b, j) => body[i + j] === b));
      body.splice(at, fromBytes.length, ...str(to));
    }
    out.push(...section(id, body));
    p = q + size;
  }
  return new Uint8Array(out);
}
