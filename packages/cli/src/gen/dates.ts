/**
 * Dates as days since 1970-01-01 (Arrow date32), and their yyyy-mm-dd text.
 *
 * TPC-H dates all fall in 1992..1998 (plus up to 151 days), so CSV formatting uses a lookup
 * table of the 10 ASCII bytes per day, built once: formatting a date is then a 10-byte copy.
 */

export const MS_PER_DAY = 86_400_000;

/** Days since the epoch of a yyyy-mm-dd date (UTC). */
export function dayOf(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new RangeError(`not a yyyy-mm-dd date: ${isoDate}`);
  return Math.round(ms / MS_PER_DAY);
}

/** yyyy-mm-dd of a day number (UTC). */
export function isoOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** TPC-H 4.2.3: STARTDATE, ENDDATE and CURRENTDATE. */
export const TPCH_START_DATE = dayOf('1992-01-01');
export const TPCH_END_DATE = dayOf('1998-12-31');
export const TPCH_CURRENT_DATE = dayOf('1995-06-17');

/** ASCII yyyy-mm-dd for a contiguous range of days, for fast CSV output. */
export class DateTextTable {
  readonly first: number;
  readonly last: number;
  private readonly bytes: Uint8Array;

  constructor(first: number, last: number) {
    this.first = first;
    this.last = last;
    this.bytes = new Uint8Array((last - first + 1) * 10);
    for (let d = first; d <= last; d++) {
      const s = isoOfDay(d);
      for (let i = 0; i < 10; i++) this.bytes[(d - first) * 10 + i] = s.charCodeAt(i);
    }
  }

  /** Writes the 10 bytes of `day` at `pos`; days outside the table are formatted the slow way. */
  write(day: number, out: Uint8Array, pos: number): number {
    if (day >= this.first && day <= this.last) {
      // A plain loop beats subarray()+set() for 10 bytes: no view object per call.
      const src = this.bytes;
      const at = (day - this.first) * 10;
      for (let i = 0; i < 10; i++) out[pos + i] = src[at + i]!;
      return pos + 10;
    }
    const s = isoOfDay(day);
    for (let i = 0; i < s.length; i++) out[pos + i] = s.charCodeAt(i);
    return pos + s.length;
  }
}

/** The range every generated TPC-H date falls in (with margin), shared by the CSV writers. */
export const TPCH_DATE_TEXT = new DateTextTable(TPCH_START_DATE - 366, TPCH_END_DATE + 366);
