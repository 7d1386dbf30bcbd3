/**
 * Placement of one fragment: which node serves its object and whether the fragment runs there
 * (PUSHDOWN) or on the intermediary over the pulled bytes (NO_PUSHDOWN).
 *
 * Pushdown is opt-in and declared as data: a fragment is pushed only to a node whose
 * Capabilities list every operator it needs ("scan", plus "filter", "project",
 * "partial_aggregate", "udf" when it has them), the object's format, and every plugin its
 * expressions call (same name and SHA-256 as the intermediary's own copy). A plugin the node
 * lacks altogether but the intermediary has can be installed there by hash first
 * (`PlacementOptions.canInstall`; the query path does it, see plugins/node-plugin-install.ts):
 * then it is no obstacle, and the decision lists it in `installs`.
 *
 * The AUTO rule, per fragment, first match wins:
 *   1. the node cannot run the fragment              → NO_PUSHDOWN
 *   2. the fragment aggregates                       → PUSHDOWN (ships one row per group)
 *   3. the fragment filters                          → PUSHDOWN (ships only matching rows)
 *   4. the fragment has a LIMIT                      → PUSHDOWN (the scan stops early)
 *   5. it reads at most half of the object's columns → PUSHDOWN (ships only those columns)
 *   6. otherwise                                     → NO_PUSHDOWN (every row, most columns:
 *      the raw object is no bigger than the Arrow the base would send, and the intermediary
 *      has the stronger CPU)
 */
import { fragmentPlugins, registryPlugins, type Fragment } from '@pushdown/engine';
import { InvalidArgumentError } from '@pushdown/proto';
import type { CatalogObject } from '../catalog/catalog.js';
import type { BaseNodeRegistry, BaseNodeState } from '../catalog/base-node-registry.js';
import type { PlacementName } from '../options.js';

export type RunPlacement = 'PUSHDOWN' | 'NO_PUSHDOWN';

export interface PlacementDecision {
  readonly placement: RunPlacement;
  readonly node: BaseNodeState;
  readonly reason: string;
  /** Plugins to install on `node` (by content hash) before the fragment is pushed there. */
  readonly installs?: readonly string[];
}

export interface PlacementOptions {
  /** Whether the intermediary can install plugin `name` on a node that lacks it. */
  readonly canInstall?: (name: string) => boolean;
}

/** Operators (as Capabilities names them) a fragment needs on the node that runs it. */
export function requiredOperators(fragment: Pick<Fragment, 'filter' | 'project' | 'aggregate'>): string[] {
  const ops = ['scan'];
  if (fragment.filter) ops.push('filter');
  if (fragment.project) ops.push('project');
  if (fragment.aggregate) ops.push('partial_aggregate');
  if (fragmentPlugins(fragment).length > 0) ops.push('udf');
  return ops;
}

/** Why `node` cannot run `fragment` as pushdown, or null if it can. */
export function pushdownObstacle(fragment: Fragment, node: BaseNodeState): string | null {
  return pushdownCheck(fragment, node, {}).obstacle;
}

/**
 * What stands between `fragment` and `node`: an obstacle (or null), and the plugins that would
 * have to be installed there first. Only a plugin the node lacks by name is installable: a node
 * with another module under that name keeps it (replacing it is `pushdown plugins add --replace`).
 */
export function pushdownCheck(
  fragment: Fragment,
  node: BaseNodeState,
  options: PlacementOptions,
): { obstacle: string | null; installs: string[] } {
  const none = (obstacle: string) => ({ obstacle, installs: [] });
  const caps = node.capabilities;
  if (!caps) return none(`base node ${node.id} has not reported its capabilities`);
  const missing = requiredOperators(fragment).filter((op) => !caps.operators.includes(op));
  if (missing.length > 0) {
    return none(
      `base node ${node.id} does not run ${missing.join(', ')} (it runs ${caps.operators.join(', ') || 'nothing'})`,
    );
  }
  if (!caps.formats.includes(fragment.format)) {
    return none(
      `base node ${node.id} does not read ${fragment.format} (it reads ${caps.formats.join(', ') || 'nothing'})`,
    );
  }
  // A plugin counts only if the node has the very module the intermediary planned with.
  const mine = new Map(registryPlugins().map((p) => [p.name, p.sha256]));
  const lacking = fragmentPlugins(fragment).filter(
    (name) => !caps.plugins.some((p) => p.name === name && (!mine.has(name) || p.sha256 === mine.get(name))),
  );
  const installs = lacking.filter(
    (name) => options.canInstall?.(name) === true && !caps.plugins.some((p) => p.name === name),
  );
  if (installs.length < lacking.length) {
    return none(
      `base node ${node.id} does not have plugin ${lacking.map((n) => `"${n}"`).join(', ')} (it has ${caps.plugins.map((p) => p.name).join(', ') || 'none'})`,
    );
  }
  return { obstacle: null, installs };
}

/** The first holder of the object that is up, else the first holder (whose failure we report). */
export function chooseNode(object: CatalogObject, nodes: BaseNodeRegistry): BaseNodeState {
  const holders = object.nodes.map((id) => nodes.get(id)).filter((n): n is BaseNodeState => n !== undefined);
  const up = holders.find((n) => n.status === 'up');
  const node = up ?? holders[0];
  if (!node) throw new InvalidArgumentError(`object ${object.table}/${object.name} has no known node`);
  return node;
}

export function decidePlacement(
  requested: PlacementName,
  fragment: Fragment,
  object: CatalogObject,
  nodes: BaseNodeRegistry,
  options: PlacementOptions = {},
): PlacementDecision {
  const node = chooseNode(object, nodes);
  const { obstacle, installs } = pushdownCheck(fragment, node, options);
  const withInstalls = (d: { placement: RunPlacement; reason: string }): PlacementDecision =>
    d.placement === 'PUSHDOWN' && installs.length > 0
      ? {
          node,
          placement: 'PUSHDOWN',
          installs,
          reason: `${d.reason}; installs plugin ${installs.map((n) => `"${n}"`).join(', ')} on ${node.id} by hash first`,
        }
      : { node, ...d };
  if (requested === 'PUSHDOWN') {
    if (obstacle && node.status === 'up') {
      throw new InvalidArgumentError(
        `PUSHDOWN was asked for ${object.table}/${object.name}, but ${obstacle}`,
        {
          hint: 'use AUTO or NO_PUSHDOWN placement',
        },
      );
    }
    return withInstalls({ placement: 'PUSHDOWN', reason: 'PUSHDOWN requested' });
  }
  if (requested === 'NO_PUSHDOWN') return { placement: 'NO_PUSHDOWN', node, reason: 'NO_PUSHDOWN requested' };
  return withInstalls(autoRule(fragment, obstacle));
}

function autoRule(fragment: Fragment, obstacle: string | null): { placement: RunPlacement; reason: string } {
  const auto = (placement: RunPlacement, why: string) => ({ placement, reason: `AUTO: ${why}` });
  if (obstacle) return auto('NO_PUSHDOWN', obstacle);
  if (fragment.aggregate) return auto('PUSHDOWN', 'partial aggregate at the base ships one row per group');
  if (fragment.filter) return auto('PUSHDOWN', 'filter at the base ships only the matching rows');
  if (fragment.limit !== null)
    return auto('PUSHDOWN', `LIMIT ${fragment.limit} at the base stops the scan early`);
  const k = fragment.columns.length;
  const n = fragment.schema.length;
  if (k * 2 <= n) return auto('PUSHDOWN', `reads ${k} of ${n} columns; the base ships only those`);
  return auto(
    'NO_PUSHDOWN',
    `reads every row and ${k} of ${n} columns; the raw object is no bigger than the Arrow the base would ship`,
  );
}

/** The proto enum (string or number form) as a placement name. */
export function placementOf(value: unknown): PlacementName {
  switch (value) {
    case undefined:
    case null:
    case 0:
    case 'PLACEMENT_AUTO':
      return 'AUTO';
    case 1:
    case 'PLACEMENT_PUSHDOWN':
      return 'PUSHDOWN';
    case 2:
    case 'PLACEMENT_NO_PUSHDOWN':
      return 'NO_PUSHDOWN';
    default:
      throw new InvalidArgumentError(`unknown placement ${JSON.stringify(value)}`, {
        hint: 'use PLACEMENT_AUTO, PLACEMENT_PUSHDOWN or PLACEMENT_NO_PUSHDOWN',
      });
  }
}
