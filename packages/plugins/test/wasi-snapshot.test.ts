// Scratch snapshots: the binary format round-trips, any damage is refused whole, and
// persistence carries a guest's /scratch from one instantiation to the next.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeScratchSnapshot,
  encodeScratchSnapshot,
  loadPersistedScratch,
  persistedScratchPath,
  savePersistedScratch,
} from '../src/index.js';
import { startGuest } from './wasi-guest.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const FILES = new Map([
  ['/scratch/state.bin', new Uint8Array([0, 1, 2, 255])],
  ['/scratch/deep/er/notes.txt', bytes('naïve notes')],
  ['/scratch/empty', new Uint8Array(0)],
]);

describe('snapshot format', () => {
  test('round trip keeps every path and byte', () => {
    expect(decodeScratchSnapshot(encodeScratchSnapshot(FILES))).toEqual(FILES);
    expect(decodeScratchSnapshot(encodeScratchSnapshot(new Map()))).toEqual(new Map());
  });

  test('every single flipped byte is refused (magic, version, lengths, data, checksum)', () => {
    const good = encodeScratchSnapshot(FILES);
    for (let i = 0; i < good.length; i++) {
      const bad = good.slice();
      bad[i]! ^= 0x40;
      expect(() => decodeScratchSnapshot(bad)).toThrow(/scratch snapshot refused/);
    }
  });

  test.each([
    ['truncated', (b: Uint8Array) => b.subarray(0, b.length - 1), /checksum/],
    ['empty', () => new Uint8Array(0), /shorter than any snapshot/],
    ['not a snapshot', () => bytes('{"files": []}'.padEnd(64)), /does not start with "PDWS"/],
  ])('%s is refused with a clear reason', (_name, damage, why) => {
    expect(() => decodeScratchSnapshot(damage(encodeScratchSnapshot(FILES)))).toThrow(why);
  });

  test('paths outside /scratch are refused when encoding', () => {
    expect(() => encodeScratchSnapshot(new Map([['/data/x', new Uint8Array(1)]]))).toThrow(
      /not a file under \/scratch/,
    );
    expect(() => encodeScratchSnapshot(new Map([['/scratch/../etc', new Uint8Array(1)]]))).toThrow();
  });
});

describe('persistence', () => {
  const OBJECT = bytes('{"a":1}\n{"a":2}\n');

  test("a guest's scratch folder survives to the next instantiation", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-persist-'));
    expect(await loadPersistedScratch(dir, 'copier')).toBeUndefined(); // first start: nothing saved
    const first = startGuest({ readOnly: { '/data/object.jsonl': OBJECT } });
    expect(first.call.copyToScratch!()).toBe(OBJECT.length);
    await savePersistedScratch(dir, 'copier', first.host.scratchFiles(), 1024);

    const restored = await loadPersistedScratch(dir, 'copier');
    const second = startGuest({ scratch: restored! });
    // The second instance reads the file the first one wrote, through WASI.
    const [p, l] = second.put('copy/object.jsonl');
    const out = second.alloc(4);
    expect(second.call.open!(4, p, l, 0, 0n, 0, out)).toBe(0);
    const [iov, buf] = second.iov(64);
    expect(second.call.read!(second.u32(out), iov, 1, out)).toBe(0);
    expect(second.bytes(buf, second.u32(out))).toEqual(OBJECT);
    expect(readdirSync(dir)).toEqual(['copier.scratch']); // no temporary file left behind
  });

  test('a snapshot over persist.maxBytes is not saved, and the previous one stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-persist-'));
    await savePersistedScratch(dir, 'p', new Map([['/scratch/a', bytes('old')]]), 10);
    await expect(
      savePersistedScratch(dir, 'p', new Map([['/scratch/a', new Uint8Array(11)]]), 10),
    ).rejects.toThrow('scratch folder holds 11 bytes, above persist.maxBytes 10');
    expect(await loadPersistedScratch(dir, 'p')).toEqual(new Map([['/scratch/a', bytes('old')]]));
  });

  test('a corrupt snapshot on disk is refused with its path, never half-applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-persist-'));
    await savePersistedScratch(dir, 'p', FILES);
    const path = persistedScratchPath(dir, 'p');
    const onDisk = readFileSync(path);
    writeFileSync(path, onDisk.subarray(0, onDisk.length - 3));
    await expect(loadPersistedScratch(dir, 'p')).rejects.toThrow(`${path}: scratch snapshot refused`);
  });

  test('a plugin name cannot point outside the state folder', async () => {
    await expect(loadPersistedScratch('/tmp', '../etc/passwd')).rejects.toThrow(/not a plugin name/);
  });
});
