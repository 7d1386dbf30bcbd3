#!/usr/bin/env node
// Builds every WASM operator from its AssemblyScript source:
//   operators/<name>/assembly/index.ts + operators/<name>/manifest.json  →  build/<name>.wasm
// and writes build/<name>.manifest.json with the module's SHA-256 filled in.
// The compiler flags come from the manifest's "build.ascFlags"; every module imports its
// memory (env.memory) from the host, as the operator ABI requires.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from 'assemblyscript/asc';

const root = resolve(import.meta.dirname, '..');
const operatorsDir = join(root, 'operators');
const buildDir = join(root, 'build');
mkdirSync(buildDir, { recursive: true });

const only = process.argv.slice(2);
const names = readdirSync(operatorsDir).filter(
  (n) => statSync(join(operatorsDir, n)).isDirectory() && (only.length === 0 || only.includes(n)),
);

let failed = false;
for (const name of names) {
  const dir = join(operatorsDir, name);
  const manifestPath = join(dir, 'manifest.json');
  const entry = join(dir, 'assembly', 'index.ts');
  if (!existsSync(manifestPath) || !existsSync(entry)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const out = join(buildDir, `${name}.wasm`);
  const flags = manifest.build?.ascFlags ?? [];
  const args = [
    entry,
    '--outFile',
    out,
    '--importMemory',
    '--runtime',
    'stub',
    '-O3',
    '--noAssert',
    ...flags,
  ];
  const { error, stderr } = await main(args, {});
  if (error) {
    failed = true;
    console.error(`build-wasm: ${name} failed: ${error.message}\n${stderr.toString()}`);
    continue;
  }
  const bytes = readFileSync(out);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const { build: _build, ...published } = manifest;
  writeFileSync(
    join(buildDir, `${name}.manifest.json`),
    JSON.stringify({ ...published, sha256 }, null, 2) + '\n',
  );
  console.log(`build-wasm: ${name}.wasm ${bytes.length} bytes sha256=${sha256.slice(0, 12)}…`);
}
if (failed) process.exit(1);
