#!/usr/bin/env node
// Builds every WASM module from its AssemblyScript source:
//   operators/<name>/  (built-in operators)   and   plugins/<name>/  (example plugins)
//   <dir>/assembly/index.ts + <dir>/manifest.json  →  build/<name>.wasm
// writes build/<name>.manifest.json with the module's SHA-256 filled in, and the registry index
// registry/index.json (name, version, kind, sha256, description, paths) of everything built.
// The compiler flags are PLUGIN_ASC_FLAGS (src/plugin-build.ts, shared with `pushdown plugins
// build`) plus the manifest's "build.ascFlags"; every module imports its memory (env.memory)
// from the host, as the ABI requires. Arguments name modules to build. Runs after `tsc -b`
// (see package.json), because it uses the compiled dist/plugin-build.js.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compileAssemblyScript, publishedManifest } from '../dist/plugin-build.js';

const root = resolve(import.meta.dirname, '..');
const buildDir = join(root, 'build');
const registryPath = join(root, 'registry', 'index.json');
mkdirSync(buildDir, { recursive: true });
mkdirSync(join(root, 'registry'), { recursive: true });

const only = process.argv.slice(2);
const sources = []; // { name, dir, builtin }
for (const [folder, builtin] of [
  ['operators', true],
  ['plugins', false],
]) {
  const base = join(root, folder);
  if (!existsSync(base)) continue;
  for (const name of readdirSync(base).sort()) {
    const dir = join(base, name);
    if (!statSync(dir).isDirectory()) continue;
    const clash = sources.find((s) => s.name === name);
    if (clash) {
      console.error(`build-wasm: "${name}" exists in both ${relative(root, clash.dir)} and ${folder}/`);
      process.exit(1);
    }
    sources.push({ name, dir, builtin });
  }
}

let failed = false;
for (const { name, dir } of sources) {
  if (only.length > 0 && !only.includes(name)) continue;
  const manifestPath = join(dir, 'manifest.json');
  const entry = join(dir, 'assembly', 'index.ts');
  if (!existsSync(manifestPath) || !existsSync(entry)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.name !== name) {
    failed = true;
    console.error(
      `build-wasm: ${relative(root, manifestPath)} names "${manifest.name}", its folder "${name}"`,
    );
    continue;
  }
  const out = join(buildDir, `${name}.wasm`);
  let bytes;
  try {
    bytes = await compileAssemblyScript(entry, out, manifest.build?.ascFlags ?? []);
  } catch (err) {
    failed = true;
    console.error(`build-wasm: ${name} failed: ${err.message}`);
    continue;
  }
  const published = publishedManifest(manifest, bytes);
  const { sha256 } = published;
  writeFileSync(join(buildDir, `${name}.manifest.json`), JSON.stringify(published, null, 2) + '\n');
  console.log(`build-wasm: ${name}.wasm ${bytes.length} bytes sha256=${sha256.slice(0, 12)}…`);
}

// The index lists every module whose published manifest exists, built now or earlier.
const plugins = [];
for (const { name, builtin } of sources) {
  const manifestFile = join(buildDir, `${name}.manifest.json`);
  if (!existsSync(manifestFile) || !existsSync(join(buildDir, `${name}.wasm`))) continue;
  const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
  plugins.push({
    name: m.name,
    version: m.version,
    kind: m.kind,
    builtin,
    sha256: m.sha256,
    description: m.description ?? '',
    // Relative to the package root (packages/plugins), so the index survives moving the tree.
    path: `build/${name}.wasm`,
    manifest: `build/${name}.manifest.json`,
  });
}
writeFileSync(registryPath, JSON.stringify({ registryVersion: 1, plugins }, null, 2) + '\n');
console.log(`build-wasm: registry/index.json lists ${plugins.length} modules`);
if (failed) process.exit(1);
