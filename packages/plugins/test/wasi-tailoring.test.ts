// The WASI namespace is cut to each module's import list, a module asking for a call the host
// does not implement is refused before it runs, and the process-level calls (args, environ,
// clocks, random, proc_exit, stdout) serve only what the options give.
import {
  createWasiHost,
  manifestProblems,
  moduleProblems,
  readWasmModuleInfo,
  WasiExit,
  type PluginManifest,
} from '../src/index.js';
import { assemble } from './wasm-assemble.js';
import { startGuest } from './wasi-guest.js';

const W = 'wasi_snapshot_preview1';

describe('tailoring', () => {
  test('only the imported WASI functions are in the namespace', () => {
    const host = createWasiHost({ imports: ['env.memory', `${W}.fd_read`, `${W}.fd_close`, 'env.log'] });
    expect(Object.keys(host.imports).sort()).toEqual(['fd_close', 'fd_read']);
  });

  test('a module that does not import fd_write gets no fd_write: one that does cannot link', () => {
    const reader = new WebAssembly.Module(assemble({ importFunctions: [`${W}.fd_read`] }));
    const writer = new WebAssembly.Module(assemble({ importFunctions: [`${W}.fd_write`] }));
    const host = createWasiHost({ imports: [`${W}.fd_read`] });
    const memory = new WebAssembly.Memory({ initial: 1 });
    const imports = { env: { memory }, [W]: host.imports };
    expect(() => new WebAssembly.Instance(reader, imports)).not.toThrow();
    expect(() => new WebAssembly.Instance(writer, imports)).toThrow(WebAssembly.LinkError);
  });

  test('a WASI call the host does not implement is refused at load, by name', () => {
    const bytes = assemble({ importFunctions: [`${W}.fd_read`, `${W}.sock_accept`] });
    const manifest = {
      name: 'sock',
      kind: 'operator',
      exports: ['f'],
      imports: ['env.memory', `${W}.fd_read`, `${W}.sock_accept`],
    } as unknown as PluginManifest;
    expect(moduleProblems(manifest, readWasmModuleInfo(bytes))).toContain(
      `it imports ${W}.sock_accept, a WASI call this host does not provide`,
    );
    expect(() => createWasiHost({ imports: manifest.imports })).toThrow(`${W}.sock_accept`);
  });

  test('the manifest validator names an unknown WASI call and the likely one', () => {
    const problems = manifestProblems(
      {
        name: 'x',
        version: '1.0.0',
        abiVersion: 1,
        kind: 'format-reader',
        exports: ['read'],
        runsOn: ['base'],
        limits: { memoryPages: 16, timeBudgetMs: 1000 },
        imports: ['env.memory', `${W}.fd_reed`, `${W}.path_open`],
      },
      { source: true },
    );
    expect(problems).toEqual([
      `manifest.imports[1] names a WASI call the host does not provide (did you mean "${W}.fd_read"?) (got "${W}.fd_reed")`,
    ]);
  });
});

describe('process calls', () => {
  test('args and environ come from the options, in argv/environ layout', () => {
    const g = startGuest({ args: ['reader', 'é'], env: { MODE: 'fast' } });
    const [count, size] = [g.alloc(4), g.alloc(4)];
    expect(g.call.argsSizes!(count, size)).toBe(0);
    expect([g.u32(count), g.u32(size)]).toEqual([2, 'reader'.length + 1 + 2 + 1]); // é is 2 bytes
    const [ptrs, buf] = [g.alloc(8), g.alloc(16)];
    expect(g.call.args!(ptrs, buf)).toBe(0);
    expect(g.u32(ptrs)).toBe(buf);
    expect(g.u32(ptrs + 4)).toBe(buf + 7);
    expect(new TextDecoder().decode(g.bytes(buf, 10))).toBe('reader\0é\0');
    expect(g.call.envSizes!(count, size)).toBe(0);
    expect([g.u32(count), g.u32(size)]).toEqual([1, 'MODE=fast'.length + 1]);
    expect(g.call.env!(ptrs, buf)).toBe(0);
    expect(new TextDecoder().decode(g.bytes(g.u32(ptrs), 10))).toBe('MODE=fast\0');
  });

  test('clocks: realtime is now, monotonic does not go back, unknown clock is INVAL', () => {
    const g = startGuest();
    const t = g.alloc(8);
    expect(g.call.clock!(0, t)).toBe(0);
    const wall = Number(g.u64(t) / 1_000_000n);
    expect(Math.abs(wall - Date.now())).toBeLessThan(5_000);
    expect(g.call.clock!(1, t)).toBe(0);
    const a = g.u64(t);
    expect(g.call.clock!(1, t)).toBe(0);
    expect(g.u64(t)).toBeGreaterThanOrEqual(a);
    expect(g.call.clock!(9, t)).toBe(28);
  });

  test('random_get fills exactly the buffer asked', () => {
    const g = startGuest();
    const buf = g.alloc(40);
    expect(g.call.random!(buf, 32)).toBe(0);
    expect(g.bytes(buf, 32).some((b) => b !== 0)).toBe(true); // 2^-256 chance of a false failure
    expect(g.bytes(buf + 32, 8)).toEqual(new Uint8Array(8));
  });

  test('proc_exit unwinds with WasiExit, keeps stdout, and refuses later calls', () => {
    const g = startGuest();
    let exit: unknown;
    try {
      g.call.hello!();
    } catch (err) {
      exit = err;
    }
    expect(exit).toBeInstanceOf(WasiExit);
    expect((exit as WasiExit).code).toBe(3);
    expect(g.host.exitCode).toBe(3);
    expect(g.host.stdout()).toBe('hello from the guest\n');
    expect(g.host.stderr()).toBe('');
    expect(() => g.call.countLines!(10)).toThrow(WasiExit);
  });
});
