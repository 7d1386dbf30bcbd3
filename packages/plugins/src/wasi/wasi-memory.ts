/**
 * Access to the guest's linear memory from host calls. Views are made afresh on every access
 * because `memory.grow` detaches the old ArrayBuffer; every pointer is bounds-checked and a bad
 * one becomes `GuestFault`, which the call wrapper answers with ERRNO_FAULT instead of trapping
 * the host (a guest passing garbage pointers must not be able to crash anything but itself).
 */
import { IOVEC } from './wasi-abi.js';

export class GuestFault extends Error {
  constructor(ptr: number, len: number, size: number) {
    super(`guest pointer ${ptr}+${len} is outside its ${size}-byte memory`);
  }
}

export class GuestMemory {
  private memory: WebAssembly.Memory | undefined;

  bind(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  private buffer(): ArrayBuffer {
    if (!this.memory) throw new Error('WASI host: bindMemory(memory) was not called before the first call');
    return this.memory.buffer;
  }

  private check(ptr: number, len: number): ArrayBuffer {
    const buf = this.buffer();
    if (ptr < 0 || len < 0 || ptr + len > buf.byteLength) throw new GuestFault(ptr, len, buf.byteLength);
    return buf;
  }

  /** A live view of guest bytes [ptr, ptr + len). */
  bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.check(ptr, len), ptr, len);
  }

  view(ptr: number, len: number): DataView {
    return new DataView(this.check(ptr, len), ptr, len);
  }

  u32(ptr: number): number {
    return this.view(ptr, 4).getUint32(0, true);
  }

  setU32(ptr: number, value: number): void {
    this.view(ptr, 4).setUint32(0, value, true);
  }

  setU64(ptr: number, value: bigint): void {
    this.view(ptr, 8).setBigUint64(0, value, true);
  }

  /** A UTF-8 string the guest passed as (ptr, len). Copied first: TextDecoder refuses shared views. */
  string(ptr: number, len: number): string {
    return new TextDecoder().decode(this.bytes(ptr, len).slice());
  }

  /** The (buf, len) pairs of an iovec/ciovec array, checked. */
  iovecs(ptr: number, count: number): { buf: number; len: number }[] {
    const view = this.view(ptr, count * IOVEC.SIZE);
    const out: { buf: number; len: number }[] = [];
    for (let i = 0; i < count; i++) {
      const buf = view.getUint32(i * IOVEC.SIZE + IOVEC.BUF, true);
      const len = view.getUint32(i * IOVEC.SIZE + IOVEC.LEN, true);
      this.check(buf, len);
      out.push({ buf, len });
    }
    return out;
  }

  /** Gathers the bytes of a ciovec array into one copy (what fd_write writes). */
  gather(ptr: number, count: number): Uint8Array {
    const iovs = this.iovecs(ptr, count);
    const out = new Uint8Array(iovs.reduce((n, v) => n + v.len, 0));
    let at = 0;
    for (const v of iovs) {
      out.set(this.bytes(v.buf, v.len), at);
      at += v.len;
    }
    return out;
  }
}
