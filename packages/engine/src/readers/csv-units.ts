/**
 * Where a CSV object splits into scan units, correctly under quoted fields with newlines.
 *
 * In RFC 4180 a newline is a record end exactly when an even number of quote bytes precede it
 * in the data (an escaped quote is two quotes, so it keeps the parity). Units follow a grid of
 * `unitBytes` from the first data byte: a unit that starts at S ends right after the first
 * record-ending LF at or past the first grid point after S. The serial scan finds these ends as
 * it streams (UnitCutter); a parallel scan finds them first, each worker looking at one grid
 * interval for both possible parities at its start (splitInterval), and the coordinator chains
 * the intervals with prefix sums of quote counts (chainUnits). Both give the same units.
 */

const QUOTE = 0x22;
const LF = 0x0a;

/** Streaming finder of unit ends, fed the data bytes in order (serial scans). */
export class UnitCutter {
  private parity = 0;
  private searching = false;
  private nextGrid: number;
  private nextQuote = -2; // cached position of the next quote in the current piece, -1 none
  private readonly ends: number[] = [];

  constructor(
    private readonly dataOffset: number,
    private readonly unitBytes: number,
  ) {
    this.nextGrid = dataOffset + unitBytes;
  }

  /** Feed the bytes at object offset `at` (pieces must be contiguous and in order). */
  feed(bytes: Uint8Array, at: number): void {
    this.nextQuote = -2;
    let pos = 0;
    while (pos < bytes.length) {
      if (!this.searching) {
        const gridRel = this.nextGrid - at;
        const stop = Math.min(bytes.length, Math.max(pos, gridRel));
        this.parity ^= countQuotes(bytes, pos, stop) & 1;
        pos = stop;
        if (pos >= bytes.length) return;
        this.searching = true;
        this.nextQuote = -2;
      }
      if (this.nextQuote === -2 || (this.nextQuote >= 0 && this.nextQuote < pos))
        this.nextQuote = bytes.indexOf(QUOTE, pos);
      const nl = bytes.indexOf(LF, pos);
      const q = this.nextQuote;
      if (nl < 0 && q < 0) return;
      if (q >= 0 && (nl < 0 || q < nl)) {
        this.parity ^= 1;
        pos = q + 1;
        continue;
      }
      pos = nl + 1;
      if (this.parity === 0) {
        const end = at + pos;
        this.ends.push(end);
        this.searching = false;
        this.nextGrid = gridAfter(this.dataOffset, this.unitBytes, end);
      }
    }
  }

  /** The first found unit end not yet taken, if any. */
  peek(): number | undefined {
    return this.ends[0];
  }

  shift(): void {
    this.ends.shift();
  }
}

/** The first grid point strictly after `pos`. */
export function gridAfter(dataOffset: number, unitBytes: number, pos: number): number {
  return dataOffset + (Math.floor((pos - dataOffset) / unitBytes) + 1) * unitBytes;
}

export function countQuotes(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let p = bytes.indexOf(QUOTE, from); p >= 0 && p < to; p = bytes.indexOf(QUOTE, p + 1)) n++;
  return n;
}

function countLf(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let p = bytes.indexOf(LF, from); p >= 0 && p < to; p = bytes.indexOf(LF, p + 1)) n++;
  return n;
}

/** What one grid interval says about itself, for either parity at its start. */
export interface IntervalSplit {
  readonly start: number;
  readonly quotes: number;
  readonly lfs: number;
  /** Per start parity (0 even, 1 odd): object offset just past the first record-ending LF, or -1. */
  readonly end: [number, number];
  /** Per start parity: LFs in [start, end). */
  readonly lfsBefore: [number, number];
}

/** Examine the interval whose bytes are `bytes`, starting at object offset `start`. */
export function splitInterval(bytes: Uint8Array, start: number): IntervalSplit {
  const end: [number, number] = [-1, -1];
  const lfsBefore: [number, number] = [0, 0];
  let parity = 0;
  let lfs = 0;
  let quotes = 0;
  let pos = 0;
  let q = bytes.indexOf(QUOTE);
  for (;;) {
    const nl = bytes.indexOf(LF, pos);
    if (nl < 0) {
      quotes += countQuotes(bytes, pos, bytes.length);
      lfs += 0;
      break;
    }
    while (q >= 0 && q < nl) {
      parity ^= 1;
      quotes++;
      q = bytes.indexOf(QUOTE, q + 1);
    }
    lfs++;
    // A start parity of p makes this LF a record end when p + parity is even.
    const p = parity;
    if (end[p] === -1) {
      end[p] = start + nl + 1;
      lfsBefore[p] = lfs;
    }
    pos = nl + 1;
    if (end[0] !== -1 && end[1] !== -1) {
      quotes += countQuotes(bytes, pos, bytes.length);
      lfs += countLf(bytes, pos, bytes.length);
      break;
    }
  }
  return { start, quotes, lfs, end, lfsBefore };
}

/** A unit: object byte range and the line number of its first byte. */
export interface CsvUnit {
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/**
 * Chain interval splits (one per grid interval, in order, covering [dataOffset, size)) into the
 * units UnitCutter would find.
 */
export function chainUnits(
  splits: readonly IntervalSplit[],
  dataOffset: number,
  unitBytes: number,
  size: number,
  firstLine: number,
): CsvUnit[] {
  // Per interval: the record end at or after its start, given the true parity, and LFs before it.
  const cut: { at: number; lfs: number }[] = new Array(splits.length);
  let parity = 0;
  let lfs = 0;
  const ends: ({ at: number; lfs: number } | null)[] = splits.map((s) => {
    const p = parity;
    const e = s.end[p]! >= 0 ? { at: s.end[p]!, lfs: lfs + s.lfsBefore[p]! } : null;
    parity ^= s.quotes & 1;
    lfs += s.lfs;
    return e;
  });
  let next: { at: number; lfs: number } = { at: size, lfs };
  for (let i = splits.length - 1; i >= 0; i--) {
    next = ends[i] ?? next;
    cut[i] = next;
  }
  const units: CsvUnit[] = [];
  let s = dataOffset;
  let line = firstLine;
  while (s < size) {
    const g = gridAfter(dataOffset, unitBytes, s);
    const i = Math.floor((g - dataOffset) / unitBytes);
    const c = i < cut.length ? cut[i]! : { at: size, lfs };
    const e = Math.min(size, c.at);
    units.push({ start: s, end: e, line });
    line = firstLine + c.lfs;
    s = e;
  }
  return units;
}
