/**
 * Where a CSV object splits into scan units, correctly under quoted fields with newlines.
 *
 * In RFC 4180 a newline is a record end exactly when an even number of quote bytes precede it
 * in the data (an escaped quote is two quotes, so it keeps the parity). Grid points lie every
 * `unitBytes` from the first data byte (g0 = dataOffset, g1, g2, ...), and E(gk) is the offset
 * just past the first record-ending LF at or past gk (E(g0) = dataOffset). Unit k is
 * [E(gk), E(gk+1)), empty when a record spans the whole grid interval. The serial scan finds
 * the E(gk) as it streams (UnitCutter). A parallel scan runs one task per grid interval: the
 * task finds its start E(gk) assuming an even quote parity at gk (unitStartAfter), parses on to
 * E(gk+1) (a UnitCutter with that grid point), and reports the quote parity of its interval;
 * the coordinator chains those parities and reruns only a task whose guess was wrong. There is
 * no separate pass over the bytes: each task reads its interval once.
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

  /** Quote parity of the bytes from the start up to the first grid point, once crossed. */
  gridParity = -1;

  /** `firstGrid` (default dataOffset + unitBytes): a task's cutter starts at its unit start. */
  constructor(
    private readonly dataOffset: number,
    private readonly unitBytes: number,
    firstGrid?: number,
  ) {
    this.nextGrid = firstGrid ?? dataOffset + unitBytes;
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
        if (this.gridParity < 0) this.gridParity = this.parity;
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
        // The first grid point past this LF: every grid point up to the LF has this same E(g).
        this.nextGrid = gridAfter(this.dataOffset, this.unitBytes, end - 1);
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

/** Where a task's unit starts: E(g) for its grid point g, and the quotes it passed on the way. */
export interface UnitStart {
  /** Object offset just past the first record-ending LF in the bytes, or -1 if none. */
  readonly start: number;
  /** Quote bytes before `start` (all of them when start is -1). */
  readonly quotes: number;
}

/**
 * E(g) within `piece` (the bytes from object offset `at` = g on), for quote parity `parity` at
 * g: the first LF preceded by an even number of quotes counting from g plus `parity`. Without
 * quotes (the usual file) this is one memchr to the first LF.
 */
export function unitStartAfter(piece: Uint8Array, at: number, parity: number): UnitStart {
  const bytes = view(piece);
  let p = parity & 1;
  let quotes = 0;
  let pos = 0;
  let q = bytes.indexOf(QUOTE);
  for (;;) {
    const nl = bytes.indexOf(LF, pos);
    if (nl < 0) break;
    while (q >= 0 && q < nl) {
      p ^= 1;
      quotes++;
      q = bytes.indexOf(QUOTE, q + 1);
    }
    if (p === 0) return { start: at + nl + 1, quotes };
    pos = nl + 1;
  }
  return { start: -1, quotes: quotes + (q >= 0 ? countQuotes(bytes, q, bytes.length) : 0) };
}

/**
 * Grid points of an object: g0 = dataOffset, then every unitBytes before `size`. A parallel
 * CSV scan runs one task per grid point.
 */
export function gridPoints(dataOffset: number, unitBytes: number, size: number): number[] {
  const out: number[] = [];
  for (let g = dataOffset; g < size; g += unitBytes) out.push(g);
  return out;
}

/**
 * A unit: object byte range and the line number of its first byte, known for the first unit
 * only (-1 after it: counting lines would cost as much as the parse). Errors carry line
 * numbers, so a parallel scan whose unit fails reruns on the serial path for the message.
 */
export interface CsvUnit {
  readonly start: number;
  readonly end: number;
  readonly line: number;
}
