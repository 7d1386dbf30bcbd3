// CSV scan units: the streaming cutter (serial scans) and the interval census chained by the
// coordinator (parallel scans) must find the same record ends as a brute-force parse, whatever
// the quotes, line endings and unit size; then the parallel scan must give the serial rows.
import { chainUnits, splitInterval, UnitCutter } from '@pushdown/engine';

const enc = new TextEncoder();

/** Record ends by walking the bytes with quote state, the definition the units follow. */
function bruteUnits(bytes: Uint8Array, dataOffset: number, unitBytes: number): [number, number][] {
  const recordEnds: number[] = [];
  let inQuote = false;
  for (let i = dataOffset; i < bytes.length; i++) {
    if (bytes[i] === 0x22) inQuote = !inQuote;
    else if (bytes[i] === 0x0a && !inQuote) recordEnds.push(i + 1);
  }
  const units: [number, number][] = [];
  let s = dataOffset;
  while (s < bytes.length) {
    const grid = dataOffset + (Math.floor((s - dataOffset) / unitBytes) + 1) * unitBytes;
    const end = recordEnds.find((e) => e - 1 >= grid) ?? bytes.length;
    units.push([s, Math.min(end, bytes.length)]);
    s = end;
  }
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

function chainedUnits(bytes: Uint8Array, dataOffset: number, unitBytes: number) {
  const splits = [];
  for (let s = dataOffset; s < bytes.length; s += unitBytes)
    splits.push(splitInterval(bytes.subarray(s, Math.min(bytes.length, s + unitBytes)), s));
  return chainUnits(splits, dataOffset, unitBytes, bytes.length, 2);
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
    test(`${name}: streamed, chained and brute-force units agree at every unit size`, () => {
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
        const chained = chainedUnits(bytes, dataOffset, unitBytes);
        expect([unitBytes, chained.map((u) => [u.start, u.end])]).toEqual([unitBytes, want]);
        // The first unit starts on the first data line; later ones leave it to the serial rerun.
        if (chained.length > 0) expect(chained[0]!.line).toBe(2);
        for (const u of chained.slice(1)) expect(u.line).toBe(-1);
      }
    });
  }
});
