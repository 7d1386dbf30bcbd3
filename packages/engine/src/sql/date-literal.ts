/**
 * DATE literals (days since 1970-01-01, the date32 representation) and the interval arithmetic
 * the front end folds into them: `DATE '1998-12-01' - INTERVAL '90' DAY` becomes
 * `DATE '1998-09-02'` at plan time, so base nodes only ever compare integers.
 */

const MS_PER_DAY = 86_400_000;

/** Days since the epoch for `yyyy-mm-dd`; undefined if the text is not a valid calendar date. */
export function parseDateLiteral(text: string): number | undefined {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 1998-02-30 over to March; a real calendar date survives the round trip.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return Math.round(ms / MS_PER_DAY);
}

export function formatDate(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

export type IntervalUnit = 'day' | 'month' | 'year';

export interface Interval {
  readonly amount: number;
  readonly unit: IntervalUnit;
}

/**
 * `days ± interval`. Month and year steps clamp to the end of the month the way PostgreSQL and
 * DuckDB do: 2024-01-31 + 1 month = 2024-02-29.
 */
export function addInterval(days: number, iv: Interval, sign: 1 | -1): number {
  const n = iv.amount * sign;
  if (iv.unit === 'day') return days + n;
  const months = iv.unit === 'year' ? n * 12 : n;
  const d = new Date(days * MS_PER_DAY);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Math.round(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay)) / MS_PER_DAY);
}

/**
 * Reads `INTERVAL '90' DAY`, `INTERVAL 3 MONTH`, `INTERVAL '90 days'`, `INTERVAL '1 year'`.
 * Returns undefined when the amount is not an integer or the unit is not day/month/year.
 */
export function parseInterval(amountText: string, unitText: string): Interval | undefined {
  let amount = amountText.trim();
  let unit = unitText.trim().toLowerCase();
  if (unit === '') {
    const m = /^([+-]?\d+)\s+([a-z]+)$/i.exec(amount);
    if (!m) return undefined;
    amount = m[1]!;
    unit = m[2]!.toLowerCase();
  }
  if (!/^[+-]?\d+$/.test(amount)) return undefined;
  const canonical = unit.replace(/s$/, '');
  if (canonical !== 'day' && canonical !== 'month' && canonical !== 'year') return undefined;
  return { amount: Number(amount), unit: canonical };
}
