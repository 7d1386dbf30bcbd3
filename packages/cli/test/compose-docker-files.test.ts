// The Dockerfile and the Compose file point at things that exist: COPY sources in the build
// context (not hidden by .dockerignore), and commands at built entry points that accept them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { ComposeFile } from '../src/compose/compose-types.js';
import { ENTRY_POINTS } from '../src/compose/topology-to-compose.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const read = (file: string) => readFileSync(resolve(ROOT, file), 'utf8');

/** `.dockerignore` patterns as regular expressions over context-relative paths. */
function dockerIgnore(): RegExp[] {
  return read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((p) => {
      const body = p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '\0')
        .replace(/\*/g, '[^/]*')
        .replace(/\0/g, '(.*/)?');
      return new RegExp(`^${body}(/.*)?$`);
    });
}

/** Sources of every COPY without --from (continuation lines joined). */
function copySources(): string[] {
  const lines = read('docker/Dockerfile').replace(/\\\n/g, ' ').split('\n');
  return lines
    .filter((l) => /^COPY\s/i.test(l) && !/--from=/.test(l))
    .flatMap((l) => {
      const args = l
        .trim()
        .split(/\s+/)
        .slice(1)
        .filter((a) => !a.startsWith('--'));
      return args.slice(0, -1);
    });
}

describe('docker/Dockerfile', () => {
  const dockerfile = read('docker/Dockerfile');

  it('copies only files that exist in the build context', () => {
    const sources = copySources();
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', '.']));
    const ignored = dockerIgnore();
    for (const src of sources) {
      expect([src, existsSync(resolve(ROOT, src))]).toEqual([src, true]);
      expect([src, ignored.some((re) => re.test(src))]).toEqual([src, false]);
    }
  });

  it('copies the manifest of every workspace before npm ci, so the dependency layer caches', () => {
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    const beforeCi = dockerfile.slice(0, dockerfile.indexOf('npm ci'));
    for (const w of workspaces) expect(beforeCi).toContain(`COPY ${w}/package.json ${w}/`);
  });

  it('builds on Node 20, prunes dev dependencies and runs as a non-root user', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it(".dockerignore keeps this machine's builds and data out of the context", () => {
    const ignored = dockerIgnore();
    for (const p of ['node_modules', 'packages/cli/node_modules', 'packages/cli/dist', 'data', '.git']) {
      expect([p, ignored.some((re) => re.test(p))]).toEqual([p, true]);
    }
    for (const p of ['packages/cli/src/index.ts', 'packages/plugins/operators', 'tsconfig.json']) {
      expect([p, ignored.some((re) => re.test(p))]).toEqual([p, false]);
    }
  });
});

describe('entry points the Compose file runs', () => {
  const compose = parse(read('docker-compose.yml')) as ComposeFile;
  const entries = new Set(
    Object.values(compose.services).flatMap((s) => [
      // node [V8 flags] ENTRY ...: the first argument that is not a flag.
      s.command.slice(1).find((a) => !a.startsWith('--'))!,
      ...(s.healthcheck?.test.slice(2, 3) ?? []),
    ]),
  );

  it('are the known entry points, each compiled from a source file', () => {
    expect([...entries].sort()).toEqual(Object.values(ENTRY_POINTS).sort());
    for (const entry of entries) {
      const source = entry.replace('/dist/', '/src/').replace(/\.js$/, '.ts');
      expect([source, existsSync(resolve(ROOT, source))]).toEqual([source, true]);
    }
  });

  it('exist after the build (run `npx tsc -b` first)', () => {
    for (const entry of entries) expect([entry, existsSync(resolve(ROOT, entry))]).toEqual([entry, true]);
  });

  it('the intermediary documents every flag the Compose file gives it', () => {
    const r = spawnSync(process.execPath, [resolve(ROOT, ENTRY_POINTS.intermediary), '--help'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    const command = compose.services.intermediary!.command;
    const flags = command.slice(command.indexOf(ENTRY_POINTS.intermediary)).filter((a) => a.startsWith('--'));
    for (const f of flags) expect(r.stdout).toContain(`${f} `);
  });
});
