// verifyPlugin refuses hostile or broken modules with the reason, before compiling anything:
// a hash mismatch, its own memory, an exported memory, an undeclared import, a missing or
// mis-typed export. The built example plugins pass.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginError } from '@pushdown/proto';
import { BUILD_DIR, loadRegistry, readWasmModuleInfo, verifyPlugin } from '@pushdown/plugins';
import { assemble, type TinyModule } from './wasm-assemble.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pushdown-verify-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
function write(spec: TinyModule, manifest: Record<string, unknown> = {}, sha256?: string): string {
  const bytes = assemble(spec);
  const d = join(dir, `p${seq++}`);
  mkdirSync(d);
  writeFileSync(join(d, 'tiny.wasm'), bytes);
  const full = {
    name: 'tiny',
    version: '0.1.0',
    abiVersion: 1,
    kind: 'scalar-udf',
    exports: [{ name: 'f', args: ['int32'], result: 'int32' }],
    runsOn: ['base'],
    limits: { memoryPages: 1, timeBudgetMs: 10 },
    imports: ['env.memory'],
    sha256: sha256 ?? createHash('sha256').update(bytes).digest('hex'),
    ...manifest,
  };
  writeFileSync(join(d, 'manifest.json'), JSON.stringify(full));
  return d;
}

// (int32) -> int32 under the scalar-UDF ABI: values, validity, rows, out, outValidity.
const OK_FN = [{ name: 'f', params: 5 }];

async function refusal(path: string): Promise<string> {
  const err = await verifyPlugin(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PluginError);
  return (err as Error).message;
}

describe('verifyPlugin', () => {
  it('admits a well-formed tiny module', async () => {
    const p = await verifyPlugin(write({ functions: OK_FN }));
    expect(p.manifest.name).toBe('tiny');
    expect(p.info.imports).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
  });

  it('checks the hash before it parses or compiles anything', async () => {
    const wrong = '0'.repeat(64);
    const d = write({ functions: OK_FN }, {}, wrong);
    writeFileSync(join(d, 'tiny.wasm'), 'not wasm at all'); // compiling this would fail differently
    const actual = createHash('sha256').update('not wasm at all').digest('hex');
    expect(await refusal(d)).toBe(
      `plugin "tiny" refused: manifest.sha256 does not match the module (expected ${wrong}, got ${actual}) ` +
        `(${join(d, 'tiny.wasm')} is not the module the manifest was written for)`,
    );
  });

  it('refuses a module with its own memory', async () => {
    expect(await refusal(write({ importMemory: false, defineMemory: true, functions: OK_FN }))).toBe(
      'plugin "tiny" refused: it defines its own memory; plugins must import env.memory from the host',
    );
  });

  it('refuses a module that exports its memory', async () => {
    expect(await refusal(write({ exportMemory: true, functions: OK_FN }))).toBe(
      'plugin "tiny" refused: it exports a memory ("memory"); plugins must not expose memory',
    );
  });

  it('refuses an import the manifest does not declare', async () => {
    const d = write({ functions: OK_FN, importFunctions: ['wasi_snapshot_preview1.fd_write'] });
    expect(await refusal(d)).toBe(
      'plugin "tiny" refused: it imports wasi_snapshot_preview1.fd_write (function), which manifest.imports does not declare',
    );
    const declared = write(
      { functions: OK_FN, importFunctions: ['wasi_snapshot_preview1.fd_write'] },
      { imports: ['env.memory', 'wasi_snapshot_preview1.fd_write'] },
    );
    await expect(verifyPlugin(declared)).resolves.toBeDefined();
  });

  it('refuses a missing export, a wrong ABI signature and a missing ABI_VERSION', async () => {
    const d = write(
      { functions: [{ name: 'f', params: 3 }], abiGlobal: false },
      {
        exports: [
          { name: 'f', args: ['int32'], result: 'int32' },
          { name: 'g', args: ['utf8'], result: 'bool' },
        ],
      },
    );
    expect(await refusal(d)).toBe(
      'plugin "tiny" refused: manifest.exports lists "g" but the module does not export it; ' +
        '"f" has signature (i32, i32, i32) -> (i32), but the scalar-UDF ABI for (int32) -> int32 needs ' +
        '(i32, i32, i32, i32, i32) -> (i32); it does not export the ABI_VERSION global',
    );
  });

  it('refuses an invalid manifest with the validator message', async () => {
    expect(await refusal(write({ functions: OK_FN }, { runsOn: ['edge'] }))).toBe(
      'invalid plugin manifest "tiny": manifest.runsOn[0] must be one of base, intermediary (got "edge")',
    );
  });

  it('refuses bytes that are not WebAssembly, naming the file', async () => {
    expect(() => readWasmModuleInfo(new Uint8Array([1, 2, 3]), 'x.wasm')).toThrow(
      'x.wasm is not a valid WebAssembly binary: it does not start with the \\0asm magic',
    );
  });

  it.each(loadRegistry().plugins.map((p) => p.name))('admits the built module %s', async (name) => {
    const p = await verifyPlugin(join(BUILD_DIR, `${name}.wasm`));
    expect(p.manifest.name).toBe(name);
    expect(p.info.definedMemories).toBe(0);
  });
});
