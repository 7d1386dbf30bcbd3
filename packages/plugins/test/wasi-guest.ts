// Test support for the WASI suites: compiles fixtures/wasi-guest/guest.as with asc (cached in the
// OS temp folder by source hash, since one compile takes seconds) and instantiates it against a
// fresh WASI host, with a bump allocator in a region the guest's own heap never reaches.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createWasiHost, type WasiHost, type WasiOptions } from '../src/index.js';

const SOURCE = join(import.meta.dirname, 'fixtures', 'wasi-guest', 'guest.as');
const ASC = resolve(import.meta.dirname, '..', '..', '..', 'node_modules', 'assemblyscript', 'bin', 'asc.js');

let cached: WebAssembly.Module | undefined;

/** The compiled guest module (same flags as scripts/build-wasm.js, plus `--use abort=`). */
export function guestModule(): WebAssembly.Module {
  cached ??= new WebAssembly.Module(readFileSync(compileFixture(SOURCE)));
  return cached;
}

/** Compiles an AssemblyScript fixture (`.as`) once per source hash; returns the `.wasm` path. */
export function compileFixture(source: string): string {
  const text = readFileSync(source);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const stem = basename(source, '.as');
  const dir = join(tmpdir(), `pushdown-wasi-${stem}-${hash}`);
  const wasm = join(dir, `${stem}.wasm`);
  if (!existsSync(wasm)) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(source, join(dir, `${stem}.ts`)); // asc only reads .ts entry files
    const tmp = join(dir, `${stem}.${process.pid}.wasm`);
    const flags = ['--importMemory', '--runtime', 'stub', '-O1', '--use', 'abort='];
    execFileSync(process.execPath, [ASC, join(dir, `${stem}.ts`), '--outFile', tmp, ...flags], {
      stdio: 'pipe',
    });
    renameSync(tmp, wasm); // jest workers may compile at once; the rename keeps the cache whole
  }
  return wasm;
}

/** `module.name` of every import of a module, as manifest.imports lists them. */
export function importList(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
}

type Fn = (...args: (number | bigint)[]) => number;

export interface Guest {
  host: WasiHost;
  call: Record<string, Fn>;
  /** Copies bytes (or a string's UTF-8) into the test region; returns [ptr, len]. */
  put(data: Uint8Array | string): [number, number];
  /** An 8-byte-aligned zeroed block in the test region. */
  alloc(len: number): number;
  /** One iovec {buf, len} pointing at a fresh buffer of `len` bytes: [iovPtr, bufPtr]. */
  iov(len: number): [number, number];
  u32(ptr: number): number;
  u64(ptr: number): bigint;
  bytes(ptr: number, len: number): Uint8Array;
}

const TEST_REGION = 3 * 65536; // the guest's static data and stub heap stay far below this

export function startGuest(options: Partial<WasiOptions> = {}, module = guestModule()): Guest {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const host = createWasiHost({ imports: importList(module), ...options });
  const instance = new WebAssembly.Instance(module, {
    env: { memory },
    wasi_snapshot_preview1: host.imports,
  });
  host.bindMemory(memory);
  let next = TEST_REGION;
  const alloc = (len: number): number => {
    const ptr = next;
    next += Math.ceil(Math.max(len, 1) / 8) * 8;
    new Uint8Array(memory.buffer, ptr, len).fill(0);
    return ptr;
  };
  const put = (data: Uint8Array | string): [number, number] => {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const ptr = alloc(bytes.length);
    new Uint8Array(memory.buffer).set(bytes, ptr);
    return [ptr, bytes.length];
  };
  const view = () => new DataView(memory.buffer);
  return {
    host,
    call: instance.exports as unknown as Record<string, Fn>,
    put,
    alloc,
    iov(len) {
      const buf = alloc(len);
      const iov = alloc(8);
      view().setUint32(iov, buf, true);
      view().setUint32(iov + 4, len, true);
      return [iov, buf];
    },
    u32: (ptr) => view().getUint32(ptr, true),
    u64: (ptr) => view().getBigUint64(ptr, true),
    bytes: (ptr, len) => new Uint8Array(memory.buffer, ptr, len).slice(),
  };
}
