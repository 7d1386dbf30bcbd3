// Scratch persistence wired into the hosts: the format-reader session and runWasiModule restore a
// plugin's /scratch at instantiation and save it at shutdown, when its manifest asks and a plugin
// state folder is configured. The run-counter fixture counts its runs in /scratch/count.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CorruptDataError, PluginError, ResourceExhaustedError } from '@pushdown/proto';
import {
  configurePluginStateDir,
  loadPersistedScratchSync,
  persistedScratchPath,
  pluginStateDir,
  runFormatReader,
  runWasiModule,
  savePersistedScratchSync,
  type HostCall,
} from '../src/index.js';
import { counterPlugin, readCount } from './persist-counter.js';

const DIST = resolve(import.meta.dirname, '..', 'dist', 'index.js');
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const savedCount = (dir: string, name: string) =>
  text(loadPersistedScratchSync(dir, name)?.get('/scratch/count'));

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'plugin-state-'));
  configurePluginStateDir(stateDir);
});
afterAll(() => configurePluginStateDir(undefined));

test('two instantiations in one process see the count grow, through both hosts', () => {
  const plugin = counterPlugin('counter', { scratch: true });
  expect(readCount(plugin)).toBe(1);
  expect(readCount(plugin)).toBe(2);
  // runWasiModule restores and saves the same file: the program continues the reader's count.
  expect(runWasiModule(plugin).stdout).toBe('3\n');
  expect(readCount(plugin)).toBe(4);
  expect(readdirSync(stateDir)).toEqual(['counter.scratch']); // no temporary file left behind
});

test('a fresh process (the built dist) continues the count, and so does this one after it', () => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npx tsc -b\` first`);
  const plugin = counterPlugin('counter', { scratch: true });
  expect(readCount(plugin)).toBe(1);
  const script = [
    "import { readFileSync } from 'node:fs';",
    'const p = await import(process.env.DIST);',
    'p.configurePluginStateDir(process.env.STATE);',
    'const module = new WebAssembly.Module(readFileSync(process.env.WASM));',
    'const run = p.runWasiModule({ manifest: JSON.parse(process.env.MANIFEST), module });',
    'process.stdout.write(run.stdout);',
  ].join('\n');
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      ...process.env,
      DIST,
      STATE: stateDir,
      WASM: plugin.wasmPath,
      MANIFEST: JSON.stringify(plugin.manifest),
    },
    encoding: 'utf8',
  });
  expect(stdout).toBe('2\n');
  expect(readCount(plugin)).toBe(3);
});

test('a corrupt snapshot is refused, naming the file, before the plugin runs', () => {
  const plugin = counterPlugin('counter', { scratch: true });
  const path = persistedScratchPath(stateDir, 'counter');
  writeFileSync(path, 'PDWS\x01 this is not a whole snapshot'.padEnd(64, '.'));
  const before = readFileSync(path);
  const calls: HostCall[] = [];
  const scan = () => [
    ...runFormatReader(plugin, new Uint8Array(0), { objectName: 'x', trace: (c) => calls.push(c) }),
  ];
  expect(scan).toThrow(CorruptDataError);
  expect(scan).toThrow(`${path}: scratch snapshot refused: checksum mismatch`);
  expect(() => runWasiModule(plugin)).toThrow(CorruptDataError);
  expect(calls).toEqual([]); // not one WASI call: the module never ran on part of a state
  expect(readFileSync(path)).toEqual(before); // left for the operator, not overwritten
});

test('over persist.maxBytes: ResourceExhaustedError, and the previous snapshot is kept', () => {
  const plugin = counterPlugin('small', { scratch: true, maxBytes: 1 });
  savePersistedScratchSync(stateDir, 'small', new Map([['/scratch/count', new TextEncoder().encode('9')]]));
  // The run itself succeeds up to the save: "10" is 2 bytes, over the 1 the manifest allows.
  expect(() => readCount(plugin)).toThrow(ResourceExhaustedError);
  expect(() => readCount(plugin)).toThrow('scratch folder holds 2 bytes, above persist.maxBytes 1');
  expect(savedCount(stateDir, 'small')).toBe('9');
  expect(readdirSync(stateDir)).toEqual(['small.scratch']);
});

describe('an instance that trapped is not saved; one that exited is', () => {
  test('format reader trapping mid-write (next_batch of 13 rows) keeps the old snapshot', () => {
    const plugin = counterPlugin('counter', { scratch: true });
    expect(readCount(plugin)).toBe(1);
    // open() counted run 2, then next_batch wrote "half" into the count file and trapped.
    expect(() => readCount(plugin, { batchRows: 13 })).toThrow(PluginError);
    expect(savedCount(stateDir, 'counter')).toBe('1');
    expect(readCount(plugin)).toBe(2);
  });

  test('program: a trap keeps the old snapshot, proc_exit(0) saves', () => {
    const plugin = counterPlugin('counter', { scratch: true });
    expect(runWasiModule(plugin).stdout).toBe('1\n');
    expect(() => runWasiModule(plugin, { invoke: 'crash' })).toThrow(WebAssembly.RuntimeError);
    expect(savedCount(stateDir, 'counter')).toBe('1');
    expect(runWasiModule(plugin, { invoke: 'exitClean' }).exitCode).toBe(0);
    expect(savedCount(stateDir, 'counter')).toBe('2');
  });
});

describe('no persistence', () => {
  test('a manifest without persist never touches the state folder', () => {
    const missing = join(stateDir, 'not-yet');
    configurePluginStateDir(missing);
    const plugin = counterPlugin('counter');
    expect([readCount(plugin), readCount(plugin), runWasiModule(plugin).stdout]).toEqual([1, 1, '1\n']);
    expect(existsSync(missing)).toBe(false);
  });

  test('persist.scratch false, or no state folder configured: every run starts empty', () => {
    expect(readCount(counterPlugin('counter', { scratch: false }))).toBe(1);
    configurePluginStateDir(undefined);
    expect(pluginStateDir()).toBeUndefined();
    const plugin = counterPlugin('counter', { scratch: true });
    expect([readCount(plugin), readCount(plugin)]).toEqual([1, 1]);
    expect(readdirSync(stateDir)).toEqual([]);
  });

  test('a caller that passes scratch itself owns the folder: nothing is restored or saved', () => {
    const plugin = counterPlugin('counter', { scratch: true });
    const scratch = new Map([['/scratch/count', new TextEncoder().encode('41')]]);
    const run = runWasiModule(plugin, { scratch });
    expect(run.stdout).toBe('42\n');
    expect(text(run.scratch.get('/scratch/count'))).toBe('42');
    expect(readdirSync(stateDir)).toEqual([]);
  });
});

test('configurePluginStateDir refuses an empty path and resolves relative ones', () => {
  expect(() => configurePluginStateDir('')).toThrow('the plugin state folder must be a non-empty path');
  configurePluginStateDir('rel/state');
  expect(pluginStateDir()).toBe(resolve('rel/state'));
});
