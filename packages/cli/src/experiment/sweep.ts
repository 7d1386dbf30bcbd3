/**
 * Expands a spec's sweep into the ordered list of points the runner visits. CPU quota is the
 * outermost loop, so the quota changes once per value; placement is the innermost, so the
 * placements being compared run back to back under the same conditions.
 */
import type { PlacementName } from '../client/options.js';
import { TABLE_OF_FORMAT, type DataFormat, type ExperimentSpec, type QuerySpec } from './spec-types.js';

export interface SweepPoint {
  /** 0-based position in the run. */
  index: number;
  query: string;
  format: DataFormat;
  placement: PlacementName;
  cpus: number;
  /** null for queries without a selectivity parameter. */
  selectivity: number | null;
  parallelism: number;
  /** Offered load, queries per second. */
  load: number;
}

export function expandSweep(spec: ExperimentSpec): SweepPoint[] {
  const points: SweepPoint[] = [];
  const { sweep } = spec;
  for (const cpus of sweep.cpus) {
    for (const format of sweep.format) {
      for (const q of spec.queries) {
        const selectivities = q.param === undefined ? [null] : sweep.selectivity;
        for (const selectivity of selectivities) {
          for (const parallelism of sweep.parallelism) {
            for (const load of sweep.load) {
              for (const placement of sweep.placement) {
                points.push({
                  index: points.length,
                  query: q.name,
                  format,
                  placement,
                  cpus,
                  selectivity,
                  parallelism,
                  load,
                });
              }
            }
          }
        }
      }
    }
  }
  return points;
}

/** The query's SQL over the format's table, with the parameter substituted. */
export function sqlFor(query: QuerySpec, format: DataFormat, paramValue: string | undefined): string {
  let sql = query.sql.replace(
    /\bfrom(\s+)lineitem\b/gi,
    (_m, ws: string) => `from${ws}${TABLE_OF_FORMAT[format]}`,
  );
  if (query.param !== undefined) {
    if (paramValue === undefined) throw new Error(`query ${query.name} needs a value for {${query.param}}`);
    sql = sql.replaceAll(`{${query.param}}`, paramValue);
  }
  return sql;
}

/** A short label of the point for logs and the progress line. */
export function describePoint(p: SweepPoint): string {
  return [
    p.query,
    p.format,
    p.placement,
    `cpus=${p.cpus}`,
    ...(p.selectivity === null ? [] : [`sel=${p.selectivity}`]),
    ...(p.parallelism > 0 ? [`par=${p.parallelism}`] : []),
    `${p.load} q/s`,
  ].join(' ');
}
