/**
 * What the SQL front end needs from a catalog: a table's schema by name, and the list of names
 * for error messages. The intermediary's catalog implements it; `catalogFromSchemas` is the
 * in-memory one for tests and tools.
 */
import { NotFoundError, PlanError } from '@pushdown/proto';
import type { FunctionCatalog } from '@pushdown/plugins';
import type { Schema } from '../plan/types.js';
import { closestName } from './bind-scope.js';
import type { SourceText } from './source-text.js';

export interface Catalog {
  tableSchema(name: string): Schema | undefined;
  tableNames(): string[];
  /** Scalar UDFs callable in SQL; the plugin registry's when absent. */
  readonly functions?: FunctionCatalog;
}

/**
 * @example
 * const catalog = catalogFromSchemas({ lineitem: [{ name: 'l_quantity', type: 'float64', nullable: false }] });
 */
export function catalogFromSchemas(tables: Readonly<Record<string, Schema>>): Catalog {
  return {
    tableSchema: (name) => (Object.hasOwn(tables, name) ? tables[name] : undefined),
    tableNames: () => Object.keys(tables),
  };
}

/** Finds a table case-insensitively (the exact spelling wins); NotFoundError lists the known ones. */
export function resolveTable(
  catalog: Catalog,
  name: string,
  db: string | null | undefined,
  src: SourceText,
): { table: string; schema: Schema } {
  const offset = src.findName(name, { start: src.findKeyword('from') ?? 0, end: src.sql.length });
  if (db)
    throw new PlanError(`schema-qualified table names (${db}.${name}) are not supported${src.at(offset)}`);
  const names = catalog.tableNames();
  const table = names.includes(name) ? name : names.find((n) => n.toLowerCase() === name.toLowerCase());
  const schema = table === undefined ? undefined : catalog.tableSchema(table);
  if (table === undefined || !schema) {
    const close = closestName(name, names);
    throw new NotFoundError(
      `table "${name}" not found${src.at(offset)}` +
        (close ? `; did you mean "${close}"?` : '.') +
        (names.length ? ` Known tables: ${[...names].sort().join(', ')}` : ' The catalog has no tables yet'),
    );
  }
  return { table, schema };
}
