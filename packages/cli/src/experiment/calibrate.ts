/**
 * Turns selectivities into parameter values. For `{calibrate: column}` it reads the column's
 * distribution with one GROUP BY query and picks, per selectivity s, the smallest distinct value
 * v with fraction(column < v) >= s (s = 1 gives max + 1): cheap at any scale factor for columns
 * with few distinct values, like l_quantity (1..50). The fraction actually reached is kept, so
 * plots use the real selectivity rather than the asked one.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import type { PushdownClient } from '../client/pushdown-client.js';
import type { ExperimentSpec } from './spec-types.js';

export interface ParamChoice {
  /** SQL literal text that replaces `{param}`. */
  value: string;
  /** Fraction of rows that pass; null when the value came from an explicit map. */
  actual: number | null;
}

/** query name → selectivity → parameter value. */
export type Calibration = Map<string, Map<number, ParamChoice>>;

export async function calibrate(
  client: PushdownClient,
  spec: ExperimentSpec,
  table: string,
  deadlineMs: number,
): Promise<Calibration> {
  const out: Calibration = new Map();
  for (const q of spec.queries) {
    if (q.param === undefined || q.selectivity === undefined) continue;
    const choices = new Map<number, ParamChoice>();
    if (q.selectivity.kind === 'values') {
      for (const s of spec.sweep.selectivity)
        choices.set(s, { value: q.selectivity.values.get(s)!, actual: null });
    } else {
      const dist = await distribution(client, table, q.selectivity.column, deadlineMs);
      for (const s of spec.sweep.selectivity) choices.set(s, pickValue(dist, s));
    }
    out.set(q.name, choices);
  }
  return out;
}

export interface Distribution {
  /** Distinct values, ascending. */
  values: number[];
  counts: number[];
}

async function distribution(
  client: PushdownClient,
  table: string,
  column: string,
  deadlineMs: number,
): Promise<Distribution> {
  const sql = `select ${column} as v, count(*) as n from ${table} group by ${column} order by ${column}`;
  const { table: result } = await client.queryTable(sql, { deadlineMs });
  const v = result.getChild('v');
  const n = result.getChild('n');
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < result.numRows; i++) {
    const value = Number(v?.get(i));
    if (!Number.isFinite(value)) {
      throw new InvalidArgumentError(
        `selectivity calibration needs a numeric column; ${column} has ${String(v?.get(i))}`,
      );
    }
    values.push(value);
    counts.push(Number(n?.get(i)));
  }
  if (values.length === 0) throw new InvalidArgumentError(`selectivity calibration: ${table} has no rows`);
  return { values, counts };
}

/** The smallest distinct value v with fraction(column < v) >= s. */
export function pickValue(dist: Distribution, s: number): ParamChoice {
  const total = dist.counts.reduce((a, b) => a + b, 0);
  let below = 0;
  for (let i = 0; i < dist.values.length; i++) {
    if (below / total >= s) return { value: String(dist.values[i]), actual: below / total };
    below += dist.counts[i]!;
  }
  const max = dist.values[dist.values.length - 1]!;
  return { value: String(max + 1), actual: 1 };
}
