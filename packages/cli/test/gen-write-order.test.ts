/**
 * The write loop's two promises (write-groups.ts): groups land in the file in job order however
 * out of order they finish, and no more than `window` groups are ever encoding or waiting, which
 * is what bounds memory at any scale factor. Plus the pool's wasm-memory recycling threshold.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveGenOptions } from '../src/gen/options.js';
import { partRange } from '../src/gen/part-plan.js';
import { RowGroupEncoder, type EncodedGroup } from '../src/gen/row-group-encoder.js';
import { getTable } from '../src/gen/table-registry.js';
import { writeGroups, type GroupExecutor } from '../src/gen/write-groups.js';
import { bytesOf, genLineitem, makeTempDir, removeDir, SF } from './gen-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('order');
});
afterAll(() => removeDir(dir));

const NAME = 'lineitem-00000-of-00001';

describe('ordered, bounded writing', () => {
  it.each([1, 3])(
    'writes groups in order with a window of %i, even when later ones finish first',
    async (window) => {
      const table = getTable('lineitem');
      const outDir = join(dir, `w${window}`);
      const options = resolveGenOptions({
        table: 'lineitem',
        sf: SF,
        rowGroupSize: 8192,
        threads: 1,
        outDir,
      });
      await genLineitem(join(dir, 'ref'), { rowGroupSize: 8192, threads: 1 });
      await mkdir(outDir, { recursive: true });
      const encoder = new RowGroupEncoder(table, options);
      let running = 0;
      let most = 0;
      // Encodes at once, but resolves later groups of each window sooner (reversed delays).
      const exec: GroupExecutor = {
        run: (job) => {
          running++;
          most = Math.max(most, running);
          const group = encoder.encode(job);
          return new Promise<EncodedGroup>((resolve) =>
            setTimeout(
              () => {
                running--;
                resolve(group);
              },
              5 * (window - (job.seq % window)),
            ),
          );
        },
        close: () => Promise.resolve(),
      };
      const written: number[] = [];
      await writeGroups(table, options, [partRange(table.unitCount(SF), 1, 0)], exec, {
        window,
        onRows: (rows) => written.push(rows),
        onPartDone: () => undefined,
      });
      expect(most).toBe(window);
      expect(written.reduce((a, b) => a + b, 0)).toBe(59_709);
      for (const format of ['parquet', 'csv']) {
        const ref = await bytesOf(join(dir, 'ref', `${NAME}.${format}`));
        expect((await bytesOf(join(outDir, `${NAME}.${format}`))).equals(ref)).toBe(true);
      }
    },
  );

  it('retires a worker whose wasm memory passes the threshold (here: after every group)', async () => {
    const result = await genLineitem(
      join(dir, 'wasm'),
      { formats: 'parquet', rowGroupSize: 16_384, threads: 2 },
      { workers: { maxWasmBytes: 1 } },
    );
    expect(result.workersStarted).toBe(Math.ceil(59_709 / 16_384));
    expect(result.peakWasmBytes).toBeGreaterThan(1);
  });
});
