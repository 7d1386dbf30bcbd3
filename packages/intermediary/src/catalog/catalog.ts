/**
 * The intermediary's catalog: which objects make up which table, on which base node, with
 * what schema, size and row count. Built from every base node's Capabilities and ListObjects,
 * at start, on a timer, when a query names a table it does not know, and on `refresh()`.
 *
 * A node that does not answer is marked down; the objects it listed before stay in the
 * catalog under that node, so a query over them fails with UNAVAILABLE instead of quietly
 * returning fewer rows. All objects of a table must share one column list; a table with an
 * odd object carries an error naming it, and queries over it fail until it is fixed.
 *
 * Implements the planner's `Catalog` interface (`tableSchema`, `tableNames`).
 */
import type { ObjectFormat, Schema } from '@pushdown/engine';
import type { ObjectInfo__Output } from '@pushdown/proto';
import type { Logger } from '../options.js';
import type { BaseNodeRegistry } from './base-node-registry.js';
import { type BaseNodeState } from './base-node-registry.js';
import { parseSchemaJson, sameColumns, schemaText } from './schema-json.js';

export interface CatalogObject {
  readonly table: string;
  readonly name: string;
  readonly format: ObjectFormat;
  readonly size: number;
  /** null when the node does not know. */
  readonly numRows: number | null;
  readonly sha256: string;
  readonly modifiedMs: number;
  readonly schema: Schema;
  readonly schemaJson: string;
  /** Ids of the nodes holding a copy, in registry order. */
  readonly nodes: readonly string[];
}

export interface CatalogTable {
  readonly name: string;
  /** The shared schema (of the first object by name when the table is inconsistent). */
  readonly schema: Schema;
  readonly objects: readonly CatalogObject[];
  /** Why the table cannot be queried (objects with different schemas), or null. */
  readonly error: string | null;
  readonly totalRows: number;
  readonly totalBytes: number;
}

export interface CatalogOptions {
  readonly refreshMs: number;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

export class IntermediaryCatalog {
  readonly nodes: BaseNodeRegistry;
  readonly #options: CatalogOptions;
  #tables = new Map<string, CatalogTable>();
  #inFlight: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #refreshedAtMs = 0;

  constructor(nodes: BaseNodeRegistry, options: CatalogOptions) {
    this.nodes = nodes;
    this.#options = options;
  }

  /** Starts the refresh timer (if any); call after the first `refresh()`. */
  startTimer(): void {
    if (this.#options.refreshMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      this.refresh().catch((err: unknown) =>
        this.#options.logger('warn', 'catalog refresh failed', { err: String(err) }),
      );
    }, this.#options.refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** When the last refresh finished (ms since the epoch). */
  get refreshedAtMs(): number {
    return this.#refreshedAtMs;
  }

  /**
   * Re-reads every node. Concurrent callers share one round, so a burst of queries over an
   * unknown table costs one round.
   */
  refresh(): Promise<void> {
    if (!this.#inFlight) {
      this.#inFlight = this.#refreshOnce().finally(() => {
        this.#inFlight = null;
      });
    }
    return this.#inFlight;
  }

  async #refreshOnce(): Promise<void> {
    const nodes = this.nodes.all();
    await Promise.all(nodes.map((n) => this.nodes.probe(n, this.#options.timeoutMs)));
    for (const n of nodes) {
      if (n.status === 'down') {
        this.#options.logger('warn', `base node ${n.id} is unavailable`, {
          address: n.grpcAddress,
          error: n.error,
        });
      } else if (n.capabilities && n.capabilities.nodeId && n.capabilities.nodeId !== n.id) {
        this.#options.logger('warn', `base node ${n.id} calls itself ${n.capabilities.nodeId}`, {});
      }
    }
    this.#tables = buildTables(nodes);
    this.#refreshedAtMs = Date.now();
  }

  // ---- the planner's Catalog interface ----

  tableSchema(name: string): Schema | undefined {
    return this.table(name)?.schema;
  }

  tableNames(): string[] {
    return [...this.#tables.keys()].sort();
  }

  // ---- lookups ----

  /** Exact name first, then a case-insensitive match (SQL identifiers fold case). */
  table(name: string): CatalogTable | undefined {
    const exact = this.#tables.get(name);
    if (exact) return exact;
    const lower = name.toLowerCase();
    for (const t of this.#tables.values()) if (t.name.toLowerCase() === lower) return t;
    return undefined;
  }

  tables(): CatalogTable[] {
    return this.tableNames().map((n) => this.#tables.get(n)!);
  }

  /** Nodes that never answered: their objects are unknown, so any table might be missing rows. */
  unknownNodes(): BaseNodeState[] {
    return this.nodes.all().filter((n) => n.objects === null);
  }
}

function buildTables(nodes: readonly BaseNodeState[]): Map<string, CatalogTable> {
  // table → object name → (info, nodes holding it)
  const byTable = new Map<string, Map<string, { info: ObjectInfo__Output; nodes: string[] }>>();
  for (const node of nodes) {
    for (const info of node.objects ?? []) {
      let objects = byTable.get(info.table);
      if (!objects) byTable.set(info.table, (objects = new Map()));
      const seen = objects.get(info.name);
      if (seen) seen.nodes.push(node.id);
      else objects.set(info.name, { info, nodes: [node.id] });
    }
  }
  const tables = new Map<string, CatalogTable>();
  for (const [name, objects] of byTable) {
    const list: CatalogObject[] = [];
    const problems: string[] = [];
    for (const { info, nodes: holders } of [...objects.values()].sort((a, b) =>
      compare(a.info.name, b.info.name),
    )) {
      const schema = parseSchemaJson(info.schemaJson);
      if (typeof schema === 'string') {
        problems.push(`object ${name}/${info.name} on ${holders.join(', ')} has a bad schema: ${schema}`);
        continue;
      }
      list.push({
        table: name,
        name: info.name,
        format: info.format === 'csv' || info.format === 'jsonl' ? info.format : 'parquet',
        size: info.size,
        numRows: info.numRows >= 0 ? info.numRows : null,
        sha256: info.sha256,
        modifiedMs: info.modifiedMs,
        schema,
        schemaJson: info.schemaJson,
        nodes: holders,
      });
    }
    const first = list[0];
    const schema = first ? first.schema : [];
    for (const o of list.slice(1)) {
      if (!sameColumns(o.schema, schema)) {
        problems.push(
          `object ${name}/${o.name} (on ${o.nodes.join(', ')}) has columns ${schemaText(o.schema)} but ` +
            `${name}/${first!.name} has ${schemaText(schema)}`,
        );
      }
    }
    tables.set(name, {
      name,
      schema: schema.map((f) => ({
        ...f,
        nullable: list.some((o) => o.schema.find((g) => g.name === f.name)?.nullable),
      })),
      objects: list,
      error: problems.length > 0 ? `table ${name} is inconsistent: ${problems.join('; ')}` : null,
      totalRows: list.reduce((s, o) => s + (o.numRows ?? 0), 0),
      totalBytes: list.reduce((s, o) => s + o.size, 0),
    });
  }
  return tables;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
