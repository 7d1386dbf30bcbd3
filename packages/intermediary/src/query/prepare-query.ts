/**
 * From SQL to placed fragments, shared by Query and Explain: check the text, plan it against
 * the catalog (refreshing the catalog once when the table is unknown or a node it needs is
 * down), then make one fragment per object of the table and place each. A fragment placed as
 * PUSHDOWN on a node that lacks a plugin the intermediary has gets it installed there by hash
 * first (when `installPlugins`, i.e. for Query); if that fails, the fragment runs NO_PUSHDOWN
 * and its reason says why (an explicit PUSHDOWN fails instead).
 */
import type { Fragment } from '@pushdown/engine';
import {
  ErrorCode,
  InvalidArgumentError,
  NotFoundError,
  PushdownError,
  UnavailableError,
} from '@pushdown/proto';
import { describeNode } from '../catalog/base-node-registry.js';
import type { CatalogTable, IntermediaryCatalog } from '../catalog/catalog.js';
import { planQuery, type QueryPlan } from '../engine-api.js';
import type { PlannedFragment } from '../fanout/fan-out.js';
import { chooseNode, decidePlacement } from '../fanout/placement.js';
import type { PlacementName } from '../options.js';
import { canInstallOnBase, installForFragment } from '../plugins/node-plugin-install.js';

export interface PreparedQuery {
  readonly plan: QueryPlan;
  readonly table: CatalogTable;
  readonly fragments: readonly PlannedFragment[];
}

export function checkSql(sql: unknown, maxSqlBytes: number): string {
  if (typeof sql !== 'string' || sql.trim() === '') {
    throw new InvalidArgumentError('the query has no SQL text', {
      hint: 'send a SELECT statement in QueryRequest.sql',
    });
  }
  const bytes = Buffer.byteLength(sql, 'utf8');
  if (bytes > maxSqlBytes) {
    throw new InvalidArgumentError(
      `the SQL text is ${bytes} bytes, more than the limit of ${maxSqlBytes} bytes`,
      {
        hint: 'shorten the query (long IN lists belong in a table)',
      },
    );
  }
  return sql;
}

export async function prepareQuery(
  catalog: IntermediaryCatalog,
  sql: string,
  placement: PlacementName,
  options: { requireNodes: boolean; installPlugins?: boolean },
): Promise<PreparedQuery> {
  let plan = await planOrRefresh(catalog, sql);
  let table = catalog.table(plan.table);
  // A node that is down (or never answered) may be back: look once more before giving up.
  if (!table || (options.requireNodes && needsNodes(catalog, table))) {
    await catalog.refresh();
    plan = planQuery(sql, catalog);
    table = catalog.table(plan.table);
  }
  if (!table) throw new NotFoundError(`table "${plan.table}" does not exist`, { hint: tablesHint(catalog) });
  if (table.error)
    throw new InvalidArgumentError(table.error, { hint: 're-put the odd objects with the table schema' });
  if (options.requireNodes) {
    const unknown = catalog.unknownNodes();
    if (unknown.length > 0) {
      throw new UnavailableError(
        `${unknown.map(describeNode).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} unavailable and ` +
          `${unknown.length > 1 ? 'their' : 'its'} objects are unknown, so the result over ${table.name} could miss rows: ` +
          unknown.map((n) => n.error ?? 'no answer').join('; '),
        { hint: 'start the node, or remove it from the intermediary' },
      );
    }
  }
  const placed = table.objects.map((object): PlannedFragment => {
    const fragment: Fragment = {
      ...plan.fragment,
      table: table.name,
      object: object.name,
      format: object.format,
      schema: object.schema,
      rowGroups: null,
    };
    const decision = decidePlacement(placement, fragment, object, catalog.nodes, {
      canInstall: canInstallOnBase,
    });
    return { fragment, object, decision };
  });
  const fragments = options.installPlugins
    ? await Promise.all(placed.map((p) => installPlugins(p, placement)))
    : placed;
  return { plan, table, fragments };
}

/** Installs the plugins `p` needs on its node; on failure falls back to NO_PUSHDOWN (AUTO) or throws. */
async function installPlugins(p: PlannedFragment, placement: PlacementName): Promise<PlannedFragment> {
  const { decision } = p;
  if (!decision.installs?.length || decision.node.status !== 'up') return p;
  try {
    const note = await installForFragment(decision.node, decision.installs);
    const reason = decision.reason.replace(/; installs plugin .*$/, `; ${note}`);
    return { ...p, decision: { placement: 'PUSHDOWN', node: decision.node, reason } };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (placement === 'PUSHDOWN') {
      throw new InvalidArgumentError(
        `PUSHDOWN was asked for ${p.object.table}/${p.object.name}, but ${why}`,
        {
          hint: 'use AUTO or NO_PUSHDOWN placement',
        },
      );
    }
    return {
      ...p,
      decision: { placement: 'NO_PUSHDOWN', node: decision.node, reason: `AUTO: ${why}` },
    };
  }
}

async function planOrRefresh(catalog: IntermediaryCatalog, sql: string): Promise<QueryPlan> {
  try {
    return planQuery(sql, catalog);
  } catch (err) {
    // An unknown table may have just been put on a base node.
    if (!(err instanceof PushdownError) || err.code !== ErrorCode.NOT_FOUND) throw err;
    await catalog.refresh();
    return planQuery(sql, catalog);
  }
}

function needsNodes(catalog: IntermediaryCatalog, table: CatalogTable): boolean {
  if (catalog.unknownNodes().length > 0) return true;
  return table.objects.some((o) => chooseNode(o, catalog.nodes).status !== 'up');
}

function tablesHint(catalog: IntermediaryCatalog): string {
  const names = catalog.tableNames();
  return names.length > 0
    ? `tables are ${names.join(', ')}`
    : 'the catalog has no tables; put objects on a base node';
}
