/**
 * The part of a resolved topology that the Compose translation reads: nodes, limits, links and
 * tables, not the host-side folders that only `pushdown start` uses.
 */
import type { Topology } from '../topology/topology.js';

export type ComposeTopology = Pick<Topology, 'host' | 'baseNodes' | 'intermediary' | 'tables'>;
export type { BaseNodeSpec, IntermediarySpec, TableSpec, GenTableSpec } from '../topology/topology.js';
