/**
 * Where the base-node and intermediary entry points are: the `dist/main.js` of their packages
 * in this monorepo. Resolved from this file's own folder so it works from `src/` (tests) and
 * `dist/` (the built CLI) alike; no reliance on import.meta.resolve, which jest's CJS lacks.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { NotFoundError } from '@pushdown/proto';
import type { ProcessRole } from './state-file.js';

const PACKAGES_DIR = resolve(import.meta.dirname, '..', '..', '..');

const PACKAGE_OF: Record<ProcessRole, string> = {
  'base-node': 'base-node',
  intermediary: 'intermediary',
};

export interface ServerScripts {
  baseNode: string;
  intermediary: string;
}

export function defaultServerScripts(): ServerScripts {
  return {
    baseNode: resolve(PACKAGES_DIR, PACKAGE_OF['base-node'], 'dist', 'main.js'),
    intermediary: resolve(PACKAGES_DIR, PACKAGE_OF.intermediary, 'dist', 'main.js'),
  };
}

/** Throws a NotFoundError that says to build first when a script is missing. */
export function checkServerScripts(scripts: ServerScripts): void {
  for (const file of [scripts.baseNode, scripts.intermediary]) {
    if (!existsSync(file)) {
      throw new NotFoundError(`server entry point ${file} does not exist`, {
        hint: 'build first: npm run build (or npx tsc -b)',
      });
    }
  }
}
