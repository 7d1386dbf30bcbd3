// Test support for the persistence suites: the run-counter fixture (fixtures/run-counter) compiled
// once, and manifests for it that do or do not ask for scratch persistence.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FORMAT_READER_EXPORTS,
  runFormatReader,
  sha256Hex,
  validateManifest,
  type PluginManifest,
  type PluginPersist,
} from '../src/index.js';
import { compileFixture, importList } from './wasi-guest.js';

export const COUNTER_SOURCE = join(import.meta.dirname, 'fixtures', 'run-counter', 'counter.as');

export interface CounterPlugin {
  manifest: PluginManifest;
  module: WebAssembly.Module;
  wasmPath: string;
}

/**
 * The counter as a plugin called `name`, with `persist` in its manifest (none: no persistence).
 * The manifest goes through validateManifest, so it is one a user could ship.
 */
export function counterPlugin(name: string, persist?: PluginPersist): CounterPlugin {
  const wasmPath = compileFixture(COUNTER_SOURCE);
  const bytes = readFileSync(wasmPath);
  const module = new WebAssembly.Module(bytes);
  const manifest = validateManifest({
    name,
    version: '0.1.0',
    abiVersion: 1,
    kind: 'format-reader',
    exports: [...FORMAT_READER_EXPORTS],
    runsOn: ['base', 'intermediary'],
    limits: { memoryPages: 16, timeBudgetMs: 5000 },
    imports: importList(module),
    ...(persist ? { persist } : {}),
    sha256: sha256Hex(new Uint8Array(bytes)),
  });
  return { manifest, module, wasmPath };
}

/** One run as a format reader: the count it read back (its only row). */
export function readCount(plugin: CounterPlugin, options: { batchRows?: number } = {}): number {
  const values: number[] = [];
  for (const batch of runFormatReader(plugin, new Uint8Array(0), { objectName: 'any.txt', ...options })) {
    const col = batch.columns[0]!;
    if (col.type !== 'int32') throw new Error(`runs column is ${col.type}`);
    values.push(...(col.values as Int32Array));
  }
  if (values.length !== 1) throw new Error(`expected one row, got ${values.length}`);
  return values[0]!;
}
