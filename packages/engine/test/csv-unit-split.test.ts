// CSV scan units: the streaming cutter (serial scans) and the per-grid-interval tasks of a
// parallel scan (start found under a guessed quote parity, end found by a cutter while parsing,
// guesses checked by chaining the intervals' quote parities) must find the same record ends as
// a brute-force parse, whatever the quotes, line endings and unit size.
import { gridPoints, unitStartAfter, UnitCutter } from '@pushdown/engine';

const enc = new TextEncoder();

/** Record ends by walking the bytes with quote state, the definition the units follow. */
function bruteUnits(bytes: Uint8Array, dataOffset: number, unitBytes: number): [number, number][] {
  const recordEnds: number[] = [];
  let inQuote = false;
  for (let i = dataOffset; i < bytes.length; i++) {
    if (bytes[i] === 0x22) inQuote = !inQuote;
    else if (bytes[i] === 0x0a && !inQuote) recordEnds.push(i + 1);
  }
  // E(g): just past the first record-ending LF at or past grid point g; unit k = [E(gk), E(gk+1)).
  const cuts = [dataOffset];
  for (let g = dataOffset + unitBytes; g < bytes.length; g += unitBytes)
    cuts.push(recordEnds.find((e) => e - 1 >= g) ?? bytes.length);
  cuts.push(bytes.length);
  const units: [number, number][] = [];
  for (let k = 0; k + 1 < cuts.length; k++) if (cuts[k + 1]! > cuts[k]!) units.push([cuts[k]!, cuts[k + 1]!]);
  return units;
}

function streamedUnits(bytes: Uint8Array, dataOffset: number, unitBytes: number, piece: number) {
  const cutter = new UnitCutter(dataOffset, unitBytes);
  const ends: number[] = [];
  for (let at = dataOffset; at < bytes.length; at += piece) {
    cutter.feed(bytes.subarray(at, Math.min(bytes.length, at + piece)), at);
    for (let e = cutter.peek(); e !== undefined; e = cutter.peek()) {
      ends.push(e);
      cutter.shift();
    }
  }
  const units: [number, number][] = [];
  let s = dataOffset;
  for (const e of ends) {
    units.push([s, e]);
    s = e;
  }
  if (s < bytes.length) units.push([s, bytes.length]);
  return units;
}

/**
 * What the parallel tasks find: each grid interval's start under the guessed parity (even),
 * rerun under the chained parity when the guess was wrong; its end by a cutter from that start.
 */
function taskUnits(bytes: Uint8Array, dataOffset: number, unitBytes: number) {
  const units: [number, number][] = [];
  let parity = 0;
  let reruns = 0;
  for (const [k, g] of gridPoints(dataOffset, unitBytes, bytes.length).entries()) {
    const interval = bytes.subarray(g, Math.min(bytes.length, g + unitBytes));
    let found = k === 0 ? { start: g, quotes: 0 } : unitStartAfter(interval, g, 0);
    if (k > 0 && parity === 1) {
      reruns++;
      found = unitStartAfter(interval, g, 1);
    }
    let quotes = found.quotes;
    if (found.start >= 0) {
      const cutter = new UnitCutter(found.start, unitBytes, g + unitBytes);
      cutter.feed(bytes.subarray(found.start), found.start);
      const end = cutter.peek() ?? bytes.length;
      if (end > found.start) units.push([found.start, end]);
      quotes += Math.max(0, cutter.gridParity);
    }
    parity ^= quotes & 1;
  }
  return { units, reruns };
}

const CASES: Record<string, string> = {
  plain: 'a,b\n1,x\n2,y\n3,z\n4,w\n5,v\n',
  'quoted newlines': 'a,b\n1,"x\ny\nz"\n2,"\n\n"\n3,"a\nb"\n4,q\n',
  'escaped quotes': 'a,b\n1,"he said ""hi""\nthen left"\n2,"""",\n3,"x"""\n',
  crlf: 'a,b\r\n1,x\r\n2,"y\r\nz"\r\n3,w\r\n',
  'record longer than a unit': `a,b\n1,"${'long\n'.repeat(40)}"\n2,x\n3,y\n`,
  'file shorter than a unit': 'a,b\n1,x\n',
  'no final newline': 'a,b\n1,x\n2,"y\n"\n3,z',
  empty: 'a,b\n',
};

describe('CSV unit split points', () => {
  for (const [name, text] of Object.entries(CASES)) {
    test(`${name}: streamed, task-found and brute-force units agree at every unit size`, () => {
      const bytes = enc.encode(text);
      const dataOffset = text.indexOf('\n') + 1;
      for (const unitBytes of [1, 2, 3, 5, 8, 16, 1000]) {
        const want = bruteUnits(bytes, dataOffset, unitBytes);
        for (const piece of [1, 3, 7, 4096])
          expect([unitBytes, piece, streamedUnits(bytes, dataOffset, unitBytes, piece)]).toEqual([
            unitBytes,
            piece,
            want,
          ]);
        const tasks = taskUnits(bytes, dataOffset, unitBytes);
        expect([unitBytes, tasks.units]).toEqual([unitBytes, want]);
        if (!text.includes('"')) expect(tasks.reruns).toBe(0);
      }
    });
  }
});

test('a quoted field across a grid point is found by the rerun, and only that task reruns', () => {
  const text = `a\n"${'x\n'.repeat(10)}"\n1\n2\n`;
  const bytes = enc.encode(text);
  const tasks = taskUnits(bytes, 2, 8);
  expect(tasks.units).toEqual(bruteUnits(bytes, 2, 8));
  expect(tasks.reruns).toBeGreaterThan(0);
  expect(tasks.reruns).toBeLessThan(gridPoints(2, 8, bytes.length).length - 1);
});
