/**
 * A small self-contained loader for the CSV parser module (operators/csv): compiled once per
 * process, instantiated once per scan against a host-created memory whose `maximum` is the
 * manifest's page limit. The module must import exactly what its manifest declares (only
 * `env.memory`) and define no memory of its own.
 *
 * The host owns the memory layout: `CsvWasmInstance.layout()` places the input chunk, the column
 * spec table, the float fix-up list and the per-column output buffers after the module's static
 * data, growing the memory as needed.
 */
import { readFileSync } from 'node:fs';
import { operatorManifest, operatorWasmPath, type OperatorManifest } from '@pushdown/plugins';
import { PluginError, ResourceExhaustedError } from '@pushdown/proto';

const PAGE = 65_536;

export interface CsvWasmExports {
  heapBase(): number;
  configure(spec: number, ncols: number, delim: number, fix: number, fixCap: number): void;
  setPos(pos: number): void;
  getPos(): number;
  setLine(line: number): void;
  getLine(): number;
  getRows(): number;
  getFixups(): number;
  clearFixups(): void;
  errLine(): number;
  errCol(): number;
  errStart(): number;
  errEnd(): number;
  errFound(): number;
  beginBatch(): void;
  nullCount(col: number): number;
  parse(end: number, final: number, rowCap: number): number;
}

/** parse() results; negative values are errors. */
export const ParseStatus = {
  NEED_INPUT: 0,
  DONE: 1,
  FULL: 2,
  DATA_FULL: 3,
  FIX_FULL: 4,
  ERR_FIELD_COUNT: -1,
  ERR_UNTERMINATED: -2,
  ERR_BAD_VALUE: -3,
  ERR_AFTER_QUOTE: -4,
} as const;

/** Column type codes of the spec table (see operators/csv/assembly/index.ts). */
export const CsvTypeCode = {
  skip: 0,
  bool: 1,
  int32: 2,
  int64: 3,
  float64: 4,
  date32: 5,
  utf8: 6,
  infer: 7,
} as const;

let compiled: { module: WebAssembly.Module; manifest: OperatorManifest } | null = null;

/** The compiled parser, for a worker thread to receive instead of compiling its own. */
export function compiledCsvModule(): WebAssembly.Module {
  return compileOnce().module;
}

/** Use `module` (admitted and compiled on another thread, sent by postMessage). */
export function adoptCsvModule(module: WebAssembly.Module): void {
  compiled ??= { module, manifest: operatorManifest('csv') };
}

function compileOnce(): { module: WebAssembly.Module; manifest: OperatorManifest } {
  if (compiled) return compiled;
  const manifest = operatorManifest('csv');
  const module = new WebAssembly.Module(readFileSync(operatorWasmPath('csv')));
  const declared = new Set(manifest.imports);
  for (const imp of WebAssembly.Module.imports(module)) {
    const name = `${imp.module}.${imp.name}`;
    if (!declared.has(name))
      throw new PluginError(`csv operator imports ${name}, which its manifest does not declare`);
    if (name === 'env.memory' && imp.kind !== 'memory')
      throw new PluginError('csv operator: env.memory must be a memory');
  }
  // A module that defines its own memory would escape the host's cap.
  const bytes = readFileSync(operatorWasmPath('csv'));
  if (definesMemory(bytes))
    throw new PluginError('csv operator defines its own memory; operators must import env.memory');
  compiled = { module, manifest };
  return compiled;
}

/** True when the module has a memory section (id 5) with at least one entry. */
function definesMemory(bytes: Uint8Array): boolean {
  let p = 8;
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  };
  while (p < bytes.length) {
    const id = bytes[p++]!;
    const size = leb();
    if (id === 5) {
      const count = leb();
      return count > 0;
    }
    p += size;
  }
  return false;
}

export interface CsvRegion {
  readonly ptr: number;
  readonly bytes: number;
}

const idle: CsvWasmInstance[] = [];
const MAX_IDLE = 4;

/** One parser instance with its own memory; not shared between concurrent scans. */
export class CsvWasmInstance {
  /** An idle instance (a scan unit is short: instantiating per unit would show), or a new one. */
  static acquire(): CsvWasmInstance {
    const reused = idle.pop();
    if (!reused) return new CsvWasmInstance();
    // The parser expects the zeroed memory of a fresh instance (bitmaps, offsets): give it that.
    new Uint8Array(reused.memory.buffer, reused.base, Math.max(0, reused.highWater - reused.base)).fill(0);
    return reused;
  }

  /** Give it back after a scan; its memory stays as grown, up to MAX_IDLE instances are kept. */
  releaseToPool(): void {
    if (idle.length < MAX_IDLE && !idle.includes(this)) idle.push(this);
  }

  readonly exports: CsvWasmExports;
  readonly memory: WebAssembly.Memory;
  readonly maxBytes: number;
  private readonly base: number;
  private top: number;
  /** End of the highest region ever handed out: what a reuse must zero. */
  private highWater = 0;

  constructor() {
    const { module, manifest } = compileOnce();
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: manifest.limits.memoryPages });
    this.maxBytes = manifest.limits.memoryPages * PAGE;
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as CsvWasmExports;
    this.base = align(this.exports.heapBase(), 64);
    this.top = this.base;
  }

  /** Forgets every region (their bytes stay until overwritten). */
  resetLayout(): void {
    this.top = this.base;
  }

  /** A region of `bytes` at 64-byte alignment (Arrow likes 8; SIMD loads like 16). */
  alloc(bytes: number): CsvRegion {
    const ptr = align(this.top, 64);
    const end = ptr + bytes;
    if (end > this.maxBytes) {
      throw new ResourceExhaustedError(
        `CSV parser needs ${Math.ceil(end / 2 ** 20)} MiB of operator memory, over its cap of ${this.maxBytes / 2 ** 20} MiB`,
        { hint: 'a single record or a batch of string values is too large; lower batchRows' },
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    if (end > this.highWater) this.highWater = end;
    return { ptr, bytes };
  }

  /** Current bytes view (re-read after every alloc: growing detaches the old buffer). */
  u8(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
