/**
 * Reads an experiment spec (YAML, so JSON too) and resolves its topology: a file path is read
 * relative to the spec's folder with the topology loader; an inline mapping goes through the
 * same validator, so both fail with the same messages.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '@pushdown/proto';
import { parse as parseYaml } from 'yaml';
import { loadTopology, validateTopology, type Topology } from '../topology/topology.js';
import type { ExperimentSpec } from './spec-types.js';
import { validateSpec } from './spec-validate.js';

export interface LoadedSpec {
  spec: ExperimentSpec;
  /** Absolute path of the spec file. */
  path: string;
  /** The file as written, kept in run.json and the report. */
  text: string;
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new NotFoundError(`cannot read experiment spec ${file}: ${(err as Error).message}`, { cause: err });
  }
  return { spec: parseSpec(text, file), path, text };
}

/** Parses YAML text and validates it; `source` prefixes the messages. */
export function parseSpec(text: string, source = 'spec'): ExperimentSpec {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new InvalidArgumentError(`${source}: not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  return validateSpec(doc, source);
}

/** The spec's topology, validated; a file is resolved against `specDir`. */
export async function resolveTopology(spec: ExperimentSpec, specDir: string): Promise<Topology> {
  if ('file' in spec.topology) return loadTopology(resolve(specDir, spec.topology.file));
  return validateTopology(spec.topology.inline, `${spec.name}: topology`);
}

export function specDirOf(loaded: LoadedSpec): string {
  return dirname(loaded.path);
}
