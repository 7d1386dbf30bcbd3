/**
 * One query end to end: prepare (plan, fragments, placement), fan out, run the upper stages
 * over the fragments' batches, encode the result as it comes, and build QueryStats.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { OperatorMetrics } from '@pushdown/engine';
import type { QueryStats } from '@pushdown/proto';
import type { IntermediaryCatalog } from '../catalog/catalog.js';
import { arrowSchemaOf } from '@pushdown/engine';
import { createResultEncoder, type ResultFormatName } from '../encoders/result-encoder.js';
import { readCpuBudget, resolveParallelism, runUpperStages } from '../engine-api.js';
import { fanOut } from '../fanout/fan-out.js';
import { MemoryBudget } from '../fanout/memory-budget.js';
import { nodeDown } from '../fanout/node-errors.js';
import type { PlacementName, ResolvedIntermediaryOptions } from '../options.js';
import { checkSql, prepareQuery } from './prepare-query.js';
import { QueryStatsBuilder } from './query-stats.js';

export interface QueryContext {
  readonly catalog: IntermediaryCatalog;
  readonly options: ResolvedIntermediaryOptions;
  /** HTTP client for the no-pushdown pulls. */
  readonly dispatcher: Dispatcher;
}

/** Degree of parallelism of a scan run here (NO_PUSHDOWN): asked, else ours, within our budget. */
function pullParallelism(requested: number, configured: number): number {
  const budget = readCpuBudget();
  return resolveParallelism(requested > 0 ? requested : configured > 0 ? configured : 'auto', budget);
}

export interface QueryInput {
  readonly queryId: string;
  readonly sql: string;
  /** As asked; AUTO resolves through options.defaultPlacement. */
  readonly placement: PlacementName;
  readonly format: ResultFormatName;
  /** 0 = the server default. */
  readonly maxConcurrency: number;
  /** Worker threads per scan (QueryRequest.parallelism); 0 = each node's default. */
  readonly parallelism?: number;
  readonly signal: AbortSignal;
  readonly deadline?: Date | number;
}

/** Where result chunks go; resolves when the chunk may be followed by the next (backpressure). */
export type ChunkSink = (chunk: Uint8Array) => Promise<void>;

export async function runQuery(ctx: QueryContext, input: QueryInput, send: ChunkSink): Promise<QueryStats> {
  const t0 = performance.now();
  const { options } = ctx;
  const sql = checkSql(input.sql, options.maxSqlBytes);
  const placement = input.placement === 'AUTO' ? options.defaultPlacement : input.placement;
  const prepared = await prepareQuery(ctx.catalog, sql, placement, {
    requireNodes: true,
    installPlugins: true,
  });
  for (const f of prepared.fragments) {
    if (f.decision.node.status === 'down') {
      throw nodeDown(f.decision.node, `the scan of ${f.object.table}/${f.object.name}`);
    }
  }
  input.signal.throwIfAborted();

  const stats = new QueryStatsBuilder(input.queryId, prepared.fragments);
  const budget = new MemoryBudget(options.memoryBudgetBytes);
  const fan = fanOut(prepared.fragments, {
    queryId: input.queryId,
    signal: input.signal,
    ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
    maxConcurrency: input.maxConcurrency > 0 ? input.maxConcurrency : options.maxConcurrency,
    budget,
    parallelism: input.parallelism ?? 0,
    pullParallelism: pullParallelism(input.parallelism ?? 0, options.parallelism),
    pull: { rangeBytes: options.pullRangeBytes, dispatcher: ctx.dispatcher, spoolDir: options.spoolDir },
    onFragmentDone: (outcome) => stats.addFragment(outcome),
    inFragmentOrder: prepared.plan.upper.finalAggregate !== null,
  });

  const upperMetrics: OperatorMetrics[] = [];
  const encoder = createResultEncoder(input.format, arrowSchemaOf(prepared.plan.outputSchema));
  const encode: OperatorMetrics = {
    name: `encode_${input.format}`,
    rowsIn: 0,
    rowsOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    bytesCopied: 0,
    computeMs: 0,
  };
  const emit = async (chunks: Uint8Array[]) => {
    for (const c of chunks) {
      stats.bytesReturned += c.byteLength;
      await send(c);
    }
  };
  const upper = runUpperStages(prepared.plan.upper, fan.batches, upperMetrics);
  try {
    for await (const batch of upper) {
      const e0 = performance.now();
      const chunks = encoder.write(batch);
      encode.computeMs += performance.now() - e0;
      encode.rowsIn += batch.numRows;
      encode.bytesIn += batch.data.byteLength;
      stats.rowsReturned += batch.numRows;
      await emit(chunks);
    }
  } finally {
    // Makes sure the fan-out is torn down (base calls cancelled) however the loop ended.
    await fan.batches.return(undefined);
  }
  const e0 = performance.now();
  const tail = encoder.finish();
  encode.computeMs += performance.now() - e0;
  await emit(tail);
  encode.rowsOut = encode.rowsIn;
  encode.bytesOut = stats.bytesReturned;

  for (const m of upperMetrics) stats.addStage('intermediary', m);
  stats.addStage('intermediary', encode);
  return stats.build(performance.now() - t0);
}
