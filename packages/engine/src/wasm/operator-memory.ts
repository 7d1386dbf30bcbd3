/**
 * The memory an instance set of operator modules shares, and the host's bump arena inside it.
 * The memory is created with a `maximum` (the cap); an allocation that would pass it becomes a
 * ResourceExhaustedError naming the operator and the cap, instead of a bare RangeError.
 */
import { ResourceExhaustedError } from '@pushdown/proto';
import { ARENA_BASE } from './abi.js';

const PAGE = 65_536;

export class OperatorMemory {
  readonly memory: WebAssembly.Memory;
  readonly maxPages: number;
  /** First byte the arena hands out; below it live static data and permanent buffers. */
  private floor = ARENA_BASE;
  private top = ARENA_BASE;
  private buf: ArrayBuffer;
  u8!: Uint8Array;
  i32!: Int32Array;
  f64!: Float64Array;
  i64!: BigInt64Array;

  constructor(maxPages: number, initialPages = 16) {
    this.maxPages = maxPages;
    this.memory = new WebAssembly.Memory({ initial: Math.min(initialPages, maxPages), maximum: maxPages });
    this.buf = this.memory.buffer;
    this.refreshViews();
  }

  /** Allocate `bytes` (16-byte aligned) for `operator`, growing the memory up to its cap. */
  alloc(bytes: number, operator: string): number {
    const ptr = this.top;
    const end = ptr + ((bytes + 15) & ~15) + 16; // 16 spare bytes: SIMD tails may read a lane past
    if (end > this.memory.buffer.byteLength) this.grow(end, operator);
    this.top = end;
    return ptr;
  }

  /** Allocate permanently (never released); used once for constant buffers. */
  allocPermanent(bytes: number, operator: string): number {
    if (this.top !== this.floor) throw new Error('allocPermanent while scratch is in use');
    const ptr = this.alloc(bytes, operator);
    this.floor = this.top;
    return ptr;
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = Math.max(mark, this.floor);
  }

  /** Typed views go stale when the memory grows; kernels callers re-read them through here. */
  views(): this {
    if (this.buf !== this.memory.buffer) this.refreshViews();
    return this;
  }

  private grow(end: number, operator: string): void {
    const needPages = Math.ceil(end / PAGE) - this.memory.buffer.byteLength / PAGE;
    try {
      this.memory.grow(needPages);
    } catch (err) {
      throw new ResourceExhaustedError(
        `WASM operator "${operator}" needs ${Math.ceil(end / 2 ** 20)} MiB of operator memory, above its cap of ` +
          `${this.maxPages} pages (${(this.maxPages * PAGE) / 2 ** 20} MiB)`,
        { cause: err, hint: 'raise limits.memoryPages in the operator manifest or use smaller batches' },
      );
    }
    this.refreshViews();
  }

  private refreshViews(): void {
    this.buf = this.memory.buffer;
    this.u8 = new Uint8Array(this.buf);
    this.i32 = new Int32Array(this.buf);
    this.f64 = new Float64Array(this.buf);
    this.i64 = new BigInt64Array(this.buf);
  }
}
