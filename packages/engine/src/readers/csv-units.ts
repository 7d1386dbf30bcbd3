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

/**
 * A Buffer view (no copy): Buffer#indexOf is memchr, several times faster than the typed-array
 * indexOf over a file with no quotes at all, which is the common case.
 */
function view(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

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
  feed(piece: Uint8Array, at: number): void {
    const bytes = view(piece);
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
  return countByte(bytes, QUOTE, from, to);
}

function countByte(bytes: Uint8Array, byte: number, from: number, to: number): number {
  const b = view(bytes.subarray(from, to));
  let n = 0;
  for (let p = b.indexOf(byte); p >= 0; p = b.indexOf(byte, p + 1)) n++;
  return n;
}

/** What one grid interval says about itself, for either parity at its start. */
export interface IntervalSplit {
  readonly start: number;
  readonly quotes: number;
  /** Per start parity (0 even, 1 odd): object offset just past the first record-ending LF, or -1. */
  readonly end: [number, number];
}

/**
 * Examine the interval whose bytes are `bytes`, starting at object offset `start`. Without
 * quotes (the usual file) this is two memchr passes; lines are not counted here (see CsvUnit.line).
 */
export function splitInterval(piece: Uint8Array, start: number): IntervalSplit {
  const bytes = view(piece);
  const end: [number, number] = [-1, -1];
  let parity = 0;
  let quotes = 0;
  let pos = 0;
  let q = bytes.indexOf(QUOTE);
  for (;;) {
    const nl = bytes.indexOf(LF, pos);
    if (nl < 0) break;
    while (q >= 0 && q < nl) {
      parity ^= 1;
      quotes++;
      q = bytes.indexOf(QUOTE, q + 1);
    }
    // A start parity of p makes this LF a record end when p + parity is even.
    if (end[parity] === -1) end[parity] = start + nl + 1;
    pos = nl + 1;
    // Both found, or no quote left to flip the parity: the other end cannot come.
    if ((end[0] !== -1 && end[1] !== -1) || q < 0) break;
  }
  if (q >= 0) quotes += countQuotes(bytes, q, bytes.length);
  return { start, quotes, end };
}

/**
 * A unit: object byte range and the line number of its first byte, known for the first unit
 * only (-1 after it: counting lines would cost as much as the census itself). Errors carry
 * line numbers, so a parallel scan whose unit fails reruns on the serial path for the message.
 */
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
  // Per interval: the record end at or after its start, given the true parity there.
  let parity = 0;
  const ends = splits.map((s) => {
    const e = s.end[parity]!;
    parity ^= s.quotes & 1;
    return e;
  });
  // No record end in an interval: the first one after it is the next interval's.
  const cut = new Array<number>(splits.length);
  let next = size;
  for (let i = splits.length - 1; i >= 0; i--) {
    if (ends[i]! >= 0) next = ends[i]!;
    cut[i] = next;
  }
  const units: CsvUnit[] = [];
  let s = dataOffset;
  while (s < size) {
    const g = gridAfter(dataOffset, unitBytes, s);
    const i = Math.floor((g - dataOffset) / unitBytes);
    const e = Math.min(size, i < cut.length ? cut[i]! : size);
    units.push({ start: s, end: e, line: s === dataOffset ? firstLine : -1 });
    s = e;
  }
  return units;
}
