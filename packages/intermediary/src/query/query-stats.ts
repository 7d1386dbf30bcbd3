/**
 * Builds the QueryStats message of one query from its fragments' outcomes, the upper stages'
 * metrics and what the encoder sent. Stage metrics are summed per (tier, stage name), so the
 * message stays small however many fragments ran.
 */
import type { OperatorMetrics } from '@pushdown/engine';
import type { FragmentPlacement, NodeStats, QueryStats, StageStats } from '@pushdown/proto';
import type { FragmentOutcome, PlannedFragment } from '../fanout/fan-out.js';

const PLACEMENT_ENUM = { PUSHDOWN: 'PLACEMENT_PUSHDOWN', NO_PUSHDOWN: 'PLACEMENT_NO_PUSHDOWN' } as const;

interface NodeSum extends NodeStats {
  nodeId: string;
  fragments: number;
  rowsScanned: number;
  bytesScanned: number;
  bytesShipped: number;
  elapsedMs: number;
}

interface StageSum {
  name: string;
  tier: string;
  rowsIn: number;
  rowsOut: number;
  bytesIn: number;
  bytesOut: number;
  bytesCopied: number;
  computeMs: number;
}

export class QueryStatsBuilder {
  readonly queryId: string;
  readonly #planned: readonly PlannedFragment[];
  readonly #outcomes = new Map<PlannedFragment, FragmentOutcome>();
  readonly #stages = new Map<string, StageSum>();
  rowsReturned = 0;
  bytesReturned = 0;

  constructor(queryId: string, planned: readonly PlannedFragment[]) {
    this.queryId = queryId;
    this.#planned = planned;
  }

  addFragment(outcome: FragmentOutcome): void {
    this.#outcomes.set(outcome.planned, outcome);
    for (const m of outcome.result.stats.stages) this.addStage(outcome.result.tier, m);
  }

  addStage(tier: string, m: OperatorMetrics): void {
    const key = `${tier}\u0000${m.name}`;
    let s = this.#stages.get(key);
    if (!s) {
      s = {
        name: m.name,
        tier,
        rowsIn: 0,
        rowsOut: 0,
        bytesIn: 0,
        bytesOut: 0,
        bytesCopied: 0,
        computeMs: 0,
      };
      this.#stages.set(key, s);
    }
    s.rowsIn += m.rowsIn;
    s.rowsOut += m.rowsOut;
    s.bytesIn += m.bytesIn;
    s.bytesOut += m.bytesOut;
    s.bytesCopied += m.bytesCopied;
    s.computeMs += m.computeMs;
  }

  build(elapsedMs: number): QueryStats {
    const nodes = new Map<string, NodeSum>();
    let rowsScanned = 0;
    let bytesScanned = 0;
    let bytesShipped = 0;
    const fragments: FragmentPlacement[] = [];
    for (const p of this.#planned) {
      const o = this.#outcomes.get(p);
      const s = o?.result.stats;
      rowsScanned += s?.rowsScanned ?? 0;
      bytesScanned += s?.bytesScanned ?? 0;
      bytesShipped += o?.result.bytesShipped ?? 0;
      const id = p.decision.node.id;
      let n = nodes.get(id);
      if (!n) {
        n = {
          nodeId: id,
          fragments: 0,
          rowsScanned: 0,
          bytesScanned: 0,
          bytesShipped: 0,
          elapsedMs: 0,
          parallelism: 0,
        };
        nodes.set(id, n);
      }
      n.fragments++;
      n.rowsScanned += s?.rowsScanned ?? 0;
      n.bytesScanned += s?.bytesScanned ?? 0;
      n.bytesShipped += o?.result.bytesShipped ?? 0;
      n.elapsedMs += o?.elapsedMs ?? 0;
      // The largest degree any of its scans ran with (a pulled object's scan ran here, counted
      // under the node that holds it).
      n.parallelism = Math.max(n.parallelism ?? 0, s?.parallelism ?? 1);
      fragments.push({
        table: p.object.table,
        object: p.object.name,
        nodeId: id,
        placement: PLACEMENT_ENUM[p.decision.placement],
        reason: p.decision.reason,
        rowGroupsTotal: s?.rowGroupsTotal ?? 0,
        rowGroupsScanned: s?.rowGroupsScanned ?? 0,
        elapsedMs: o?.elapsedMs ?? 0,
      });
    }
    const stages: StageStats[] = [...this.#stages.values()].sort(
      (a, b) => tierRank(a.tier) - tierRank(b.tier) || (a.tier < b.tier ? -1 : a.tier > b.tier ? 1 : 0),
    );
    return {
      queryId: this.queryId,
      rowsScanned,
      bytesScanned,
      bytesShipped,
      bytesReturned: this.bytesReturned,
      rowsReturned: this.rowsReturned,
      elapsedMs,
      nodes: [...nodes.values()],
      stages,
      fragments,
    };
  }
}

/** Base tiers first, then the intermediary (the order data flows); stable within a tier. */
function tierRank(tier: string): number {
  return tier.startsWith('base:') ? 0 : 1;
}
