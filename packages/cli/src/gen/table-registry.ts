/**
 * The tables `pushdown gen` knows, by name. Adding a TPC-H table is one file with a
 * TableGenerator and one line here; the writers, parts and options need no change.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import type { TableGenerator } from './table-generator.js';
import { lineitemTable } from './tpch-lineitem.js';

const TABLES: ReadonlyMap<string, TableGenerator> = new Map([[lineitemTable.name, lineitemTable]]);

/** Names of the tables that can be generated, in registry order. */
export function tableNames(): string[] {
  return [...TABLES.keys()];
}

/** The generator for `name`; throws InvalidArgumentError listing the known tables. */
export function getTable(name: string): TableGenerator {
  const table = TABLES.get(name);
  if (!table) {
    throw new InvalidArgumentError(`unknown table "${name}"; known tables: ${tableNames().join(', ')}`);
  }
  return table;
}
