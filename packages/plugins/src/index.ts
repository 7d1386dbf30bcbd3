/**
 * WASM operators and plugins. Built-in operators live in `operators/<name>/` (AssemblyScript
 * source and `manifest.json`); `npm run build` compiles them to `build/<name>.wasm` with a
 * published manifest beside each (SHA-256 filled in).
 *
 * @example
 * const bytes = await readFile(operatorWasmPath('filter'));
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// dist/index.js → package root; also right for src/index.ts under jest.
const PACKAGE_ROOT = resolve(import.meta.dirname, '..');

/** Folder that holds the built `.wasm` modules and their manifests. */
export const BUILD_DIR = join(PACKAGE_ROOT, 'build');

/** Path of a built operator module, e.g. `operatorWasmPath('filter')`. */
export function operatorWasmPath(name: string): string {
  const path = join(BUILD_DIR, `${name}.wasm`);
  if (!existsSync(path)) {
    throw new Error(`WASM operator "${name}" is not built (${path} is missing); run \`npm run build\``);
  }
  return path;
}

export interface OperatorManifest {
  name: string;
  version: string;
  abiVersion: number;
  kind: 'operator' | 'scalar-udf' | 'aggregate-udf' | 'format-reader';
  exports: string[];
  runsOn: ('base' | 'intermediary')[];
  limits: { memoryPages: number; timeBudgetMs: number };
  imports: string[];
  sha256: string;
}

/** The published manifest of a built operator. */
export function operatorManifest(name: string): OperatorManifest {
  return JSON.parse(readFileSync(join(BUILD_DIR, `${name}.manifest.json`), 'utf8')) as OperatorManifest;
}
