/**
 * Checks a ScanRequest's fragment before anything runs: the JSON parses, the version is one
 * this node speaks, the shape is a Fragment, and every column it reads exists in the object.
 * Each failure is an InvalidArgumentError that says what to change.
 */
import { columnsOf, FRAGMENT_VERSION, type Fragment } from '@pushdown/engine';
import { InvalidArgumentError } from '@pushdown/proto';
import { validateName } from '../storage/names.js';
import type { ObjectMeta } from '../storage/object-meta.js';
import { checkSchema } from '@pushdown/engine';

export function parseFragment(json: string): Fragment {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new InvalidArgumentError(`fragment_json is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('fragment_json must be a JSON object (a Fragment)');
  }
  const f = value as Record<string, unknown>;
  if (f.version !== FRAGMENT_VERSION) {
    throw new InvalidArgumentError(
      `fragment version ${JSON.stringify(f.version)} is not supported; this node runs version ${FRAGMENT_VERSION}`,
      { hint: 'use an intermediary and base nodes of the same release' },
    );
  }
  validateName('table', f.table);
  validateName('object', f.object);
  if (f.format !== 'parquet' && f.format !== 'csv' && f.format !== 'jsonl') {
    throw new InvalidArgumentError(
      `fragment format ${JSON.stringify(f.format)} is not parquet, csv or jsonl`,
    );
  }
  checkSchema(f.schema, 'fragment schema');
  if (!Array.isArray(f.columns) || !f.columns.every((c) => typeof c === 'string')) {
    throw new InvalidArgumentError('fragment columns must be an array of column names');
  }
  for (const key of ['filter', 'aggregate'] as const) {
    if (f[key] !== undefined && f[key] !== null && (typeof f[key] !== 'object' || Array.isArray(f[key]))) {
      throw new InvalidArgumentError(`fragment ${key} must be an object or null`);
    }
  }
  if (f.project !== undefined && f.project !== null && !Array.isArray(f.project)) {
    throw new InvalidArgumentError('fragment project must be an array of {name, expr} or null');
  }
  if (f.project && f.aggregate) {
    throw new InvalidArgumentError('fragment has both project and aggregate; give one of them');
  }
  if (
    f.limit !== undefined &&
    f.limit !== null &&
    !(Number.isSafeInteger(f.limit) && (f.limit as number) >= 0)
  ) {
    throw new InvalidArgumentError('fragment limit must be a non-negative integer or null');
  }
  const rg = f.rowGroups;
  if (
    rg !== undefined &&
    rg !== null &&
    !(Array.isArray(rg) && rg.every((i) => Number.isSafeInteger(i) && i >= 0))
  ) {
    throw new InvalidArgumentError('fragment rowGroups must be an array of row group indexes or null');
  }
  // Absent optional parts mean "none", as in a hand-written fragment.
  return {
    ...f,
    filter: f.filter ?? null,
    project: f.project ?? null,
    aggregate: f.aggregate ?? null,
    limit: f.limit ?? null,
    rowGroups: f.rowGroups ?? null,
  } as Fragment;
}

/** Throws InvalidArgumentError if the fragment does not fit the stored object. */
export function checkFragmentAgainstObject(fragment: Fragment, meta: ObjectMeta): void {
  const label = `${meta.table}/${meta.name}`;
  if (fragment.format !== meta.format) {
    throw new InvalidArgumentError(
      `fragment says ${label} is ${fragment.format} but it is stored as ${meta.format}`,
    );
  }
  const known = new Set(meta.schema.map((f) => f.name));
  const listing = meta.schema.map((f) => f.name).join(', ');
  for (const c of fragment.columns) {
    if (!known.has(c)) {
      throw new InvalidArgumentError(`column "${c}" is not in object ${label}`, {
        hint: `its columns are ${listing}`,
      });
    }
  }
  let read: string[];
  try {
    read = columnsRead(fragment);
  } catch (err) {
    throw new InvalidArgumentError(`fragment has a malformed expression: ${(err as Error).message}`);
  }
  const listed = new Set(fragment.columns);
  for (const c of read) {
    if (!known.has(c)) {
      throw new InvalidArgumentError(`column "${c}" is not in object ${label}`, {
        hint: `its columns are ${listing}`,
      });
    }
    if (!listed.has(c)) {
      throw new InvalidArgumentError(`fragment uses column "${c}" but does not list it in columns`);
    }
  }
}

/** Every column the fragment's expressions read. */
export function columnsRead(fragment: Fragment): string[] {
  const out: string[] = [];
  if (fragment.filter) columnsOf(fragment.filter, out);
  for (const p of fragment.project ?? []) columnsOf(p.expr, out);
  for (const g of fragment.aggregate?.groupBy ?? []) columnsOf(g.expr, out);
  for (const a of fragment.aggregate?.aggregates ?? []) if (a.arg) columnsOf(a.arg, out);
  return out;
}
