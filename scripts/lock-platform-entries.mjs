#!/usr/bin/env node
// Adds lock-file entries for other platforms' optional native packages (@swc/core-darwin-arm64,
// @duckdb/node-bindings-win32-x64, ...). The registry this project installs from here serves only
// this machine's platform packages, so `npm install` cannot record the others, and `npm ci` then
// refuses the lock file ("Missing: ... from lock file"). An entry with the package's version,
// os and cpu is all `npm ci` needs: on other platforms it skips them as usual.
//
// Run after adding or upgrading a dependency:  node scripts/lock-platform-entries.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = 'package-lock.json';

function missingEntries() {
  try {
    execFileSync('npm', ['ci', '--dry-run', '--ignore-scripts'], { stdio: 'pipe' });
    return [];
  } catch (err) {
    const out = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    return [...out.matchAll(/Missing: (\S+?)@\S* from lock file/g)].map((m) => m[1]);
  }
}

function platformOf(name) {
  const base = name.split('/').pop();
  const os = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony'].find((o) => base.includes(o));
  const cpu = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64'].find((c) =>
    new RegExp(`(^|-)${c}($|-)`).test(base),
  );
  const libc = base.includes('musl') ? 'musl' : /-gnu$|gnueabihf/.test(base) ? 'glibc' : undefined;
  return { os, cpu, libc };
}

const missing = missingEntries();
if (missing.length === 0) {
  console.log('lock file: npm ci accepts it as it is');
  process.exit(0);
}
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;
for (const name of missing) {
  const parent = Object.values(packages).find((e) => e.optionalDependencies?.[name]);
  if (!parent) throw new Error(`no package in the lock file lists ${name} as optional`);
  const { os, cpu, libc } = platformOf(name);
  packages[`node_modules/${name}`] = {
    version: parent.optionalDependencies[name],
    ...(cpu ? { cpu: [cpu] } : {}),
    ...(parent.dev ? { dev: true } : {}),
    ...(libc ? { libc: [libc] } : {}),
    optional: true,
    ...(os ? { os: [os] } : {}),
  };
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n');
const still = missingEntries();
if (still.length) throw new Error(`npm ci still misses: ${still.join(', ')}`);
console.log(`lock file: added ${missing.length} platform entries; npm ci accepts it now`);
