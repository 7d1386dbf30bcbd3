/**
 * The tables `pushdown gen` knows, by name. Adding a TPC-H table is one file with a
 * TableGenerator and one line here; the writers, parts and options need no change.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import { lineitemTable } from './tpch-lineitem.js';
const TABLES = new Map([[lineitemTable.name, lineitemTable]]);
/** Names of the tables that can be generated, in registry order. */
export function tableNames() {
    return [...TABLES.keys()];
}
/** The generator for `name`; throws InvalidArgumentError listing the known tables. */
export function getTable(name) {
    const table = TABLES.get(name);
    if (!table) {
        throw new InvalidArgumentError(`unknown table "${name}"; known tables: ${tableNames().join(', ')}`);
    }
    return table;
}
//# sourceMappingURL=table-registry.js.map