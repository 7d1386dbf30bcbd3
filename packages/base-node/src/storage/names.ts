/**
 * Table and object names become path components under `<dataDir>/objects/`, so they are
 * checked strictly before any file system call: no separators, no `..`, nothing that could
 * collide with a sidecar.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import type { ObjectFormat } from '@pushdown/engine';

export const MAX_NAME_LENGTH = 200;
/** Suffix of the metadata sidecar next to each object; object names may not end with it. */
export const SIDECAR_SUFFIX = '.meta.json';

const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

/** Throws InvalidArgumentError unless `value` is a valid table (kind 'table') or object name. */
export function validateName(kind: 'table' | 'object', value: unknown): string {
  const what = kind === 'table' ? 'table name' : 'object name';
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(`${what} is empty`, { hint: `give a ${what}` });
  }
  const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (value.length > MAX_NAME_LENGTH) {
    throw new InvalidArgumentError(`${what} ${shown} is ${value.length} characters long`, {
      hint: `use at most ${MAX_NAME_LENGTH}`,
    });
  }
  if (!NAME_PATTERN.test(value) || value === '.' || value.includes('..')) {
    throw new InvalidArgumentError(`${what} ${shown} is not allowed`, {
      hint: "use letters, digits, '.', '_' and '-' only, without '..' or slashes",
    });
  }
  if (kind === 'object' && value.endsWith(SIDECAR_SUFFIX)) {
    throw new InvalidArgumentError(`object name ${shown} ends with "${SIDECAR_SUFFIX}"`, {
      hint: 'that suffix is reserved for metadata sidecars; rename the object',
    });
  }
  return value;
}

/** The format given in a header ('' = infer from the name's extension). */
export function resolveFormat(declared: string | undefined, name: string): ObjectFormat {
  const given = (declared ?? '').trim().toLowerCase();
  if (given === 'parquet' || given === 'csv' || given === 'jsonl') return given;
  if (given !== '') {
    throw new InvalidArgumentError(`unknown object format "${declared}"`, {
      hint: 'use parquet, csv or jsonl',
    });
  }
  const lower = name.toLowerCase();
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  throw new InvalidArgumentError(`cannot tell the format of object "${name}"`, {
    hint: 'give the format (parquet, csv or jsonl) or name the object *.parquet, *.csv or *.jsonl',
  });
}
