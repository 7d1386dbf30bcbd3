/**
 * The CSV scan loop: reads the object by ranges (the next range is fetched while the current one
 * is parsed), copies each range into the parser's input region, lets the WASM parser convert the
 * requested columns, and cuts Arrow batches at record boundaries. A partial last record is moved
 * to the front of the input region and completed by the next range; a record longer than the
 * region grows it.
 */
import type { RecordBatch, Schema as ArrowSchema } from 'apache-arrow';
import { CancelledError } from '@pushdown/proto';
import type { Field } from '../plan/types.js';
import type { CsvUnitEndState, ScanCounters } from './object-reader.js';
import { batchOf } from './arrow-schema.js';
import { copyColumn, type CsvColumnBuffers } from './csv-batch.js';
import { csvParseError, type CsvErrorContext } from './csv-errors.js';
import { UnitCutter } from './csv-units.js';
import { CsvTypeCode, CsvWasmInstance, ParseStatus } from './csv-wasm.js';

export interface CsvScanPlan {
  readonly blob: Blob;
  /** Every column of the file, in file order, with its type. */
  readonly fileFields: readonly Field[];
  readonly inferred: boolean;
  readonly delimiter: number;
  /** Byte offset of the first data record and its line number. */
  readonly dataOffset: number;
  readonly firstLine: number;
  /** Output columns as file column indexes (repeats allowed), and their Arrow schema. */
  readonly outputs: readonly number[];
  readonly arrowSchema: ArrowSchema;
  readonly batchRows: number;
  readonly chunkBytes: number;
  readonly signal?: AbortSignal | undefined;
  /** Grid of scan units (csv-units.ts): batches are cut at every unit end. */
  readonly unitBytes: number;
  /**
   * Scan only the unit(s) [dataOffset, endOffset) (a parallel scan's task; dataOffset is then a
   * unit start and firstLine its line). Unless endOffset is the object's end, it must be a record
   * end: `endState.aligned` says whether it was.
   */
  readonly endOffset?: number;
  /**
   * A parallel task's unit whose end is not known yet: it ends at the first record end at or
   * past this grid point, found while parsing (so the task reads its bytes once).
   */
  readonly grid?: number;
  readonly endState?: CsvUnitEndState;
}

const FIXUP_ENTRIES = 4096;
/** How far past its grid point a grid task reads at first: many records' worth. */
const GRID_SLACK_BYTES = 64 * 1024;
const INITIAL_UTF8_BYTES_PER_ROW = 32;

export async function* scanCsv(plan: CsvScanPlan, counters: ScanCounters): AsyncGenerator<RecordBatch> {
  const w = CsvWasmInstance.acquire();
  try {
    yield* scanWith(w, plan, counters);
  } finally {
    w.releaseToPool();
  }
}

async function* scanWith(
  w: CsvWasmInstance,
  plan: CsvScanPlan,
  counters: ScanCounters,
): AsyncGenerator<RecordBatch> {
  const e = w.exports;
  const ncols = plan.fileFields.length;
  const needed = [...new Set(plan.outputs)].sort((a, b) => a - b);
  const buffers = new Map<number, CsvColumnBuffers>();
  for (const i of needed) {
    const type = plan.fileFields[i]!.type;
    buffers.set(i, { fileIndex: i, type, values: 0, validity: 0, offsets: 0, data: 0, dataCap: 0 });
  }
  for (const b of buffers.values())
    if (b.type === 'utf8') b.dataCap = plan.batchRows * INITIAL_UTF8_BYTES_PER_ROW;

  let inputCap = plan.chunkBytes;
  let inputPtr = 0;
  let fixPtr = 0;
  const rows = plan.batchRows;
  // Lays out input | spec | fix-ups | column buffers. Input keeps its address, so its bytes survive.
  const layout = (): void => {
    w.resetLayout();
    inputPtr = w.alloc(inputCap + 16).ptr;
    const spec = w.alloc(ncols * 32).ptr;
    fixPtr = w.alloc(FIXUP_ENTRIES * 16).ptr;
    for (const b of buffers.values()) {
      const bitmap = Math.ceil(rows / 64) * 8;
      b.values = w.alloc(
        b.type === 'bool' ? bitmap : b.type === 'int32' || b.type === 'date32' ? rows * 4 : rows * 8,
      ).ptr;
      b.validity = w.alloc(bitmap).ptr;
      if (b.type === 'utf8') {
        b.offsets = w.alloc((rows + 1) * 4).ptr;
        b.data = w.alloc(b.dataCap).ptr;
      }
    }
    const s = new Int32Array(w.memory.buffer, spec, ncols * 8);
    s.fill(0);
    for (const b of buffers.values()) {
      s.set([CsvTypeCode[b.type], b.values, b.validity, b.offsets, b.data, b.dataCap, 0, 0], b.fileIndex * 8);
    }
    e.configure(spec, ncols, plan.delimiter, fixPtr, FIXUP_ENTRIES);
  };
  layout();
  e.setLine(plan.firstLine);
  e.beginBatch();

  const ctx = (inputObjectOffset: number): CsvErrorContext => ({
    names: plan.fileFields.map((f) => f.name),
    types: plan.fileFields.map((f) => f.type),
    inferred: plan.inferred,
    inputPtr,
    inputObjectOffset,
  });

  const emit = (): RecordBatch => {
    const n = e.getRows();
    const t0 = performance.now();
    const copied = new Map<number, ReturnType<typeof copyColumn>>();
    for (const b of buffers.values()) copied.set(b.fileIndex, copyColumn(w, b, n));
    for (const c of copied.values()) counters.bytesCopied += c.bytes;
    counters.rowsScanned += n;
    const batch = batchOf(
      plan.arrowSchema,
      n,
      plan.outputs.map((i) => copied.get(i)!.data),
    );
    counters.decodeMs += performance.now() - t0;
    e.beginBatch();
    return batch;
  };

  // Replaces the fast-path placeholders of hard floats (> 2^53 mantissas, huge exponents) with
  // the correctly rounded value of JS's own parser.
  const applyFixups = (): void => {
    const n = e.getFixups();
    if (n === 0) return;
    const u8 = w.u8();
    const view = new DataView(w.memory.buffer);
    for (let i = 0; i < n; i++) {
      const at = fixPtr + i * 16;
      const col = view.getInt32(at, true);
      const row = view.getInt32(at + 4, true);
      const start = view.getInt32(at + 8, true);
      const end = view.getInt32(at + 12, true);
      const b = buffers.get(col)!;
      view.setFloat64(b.values + row * 8, Number(latin1(u8, start, end)), true);
    }
    e.clearFixups();
  };

  let fill = 0; // bytes in the input region
  let fillObjectOffset = plan.dataOffset; // object offset of the input region's first byte
  // The header's bytes count once per object (a parallel scan's coordinator counts them).
  if (plan.endOffset === undefined) counters.bytesScanned += plan.dataOffset;
  // A Blob stream reads ahead on its own (much faster than many blob.slice() reads).
  const endOffset = plan.endOffset ?? plan.blob.size;
  // A grid task's end lies just past its grid point: read that far (plus a little), then on
  // only as far as a long record needs, not a whole input region past its end.
  let streamEnd = plan.grid !== undefined ? Math.min(endOffset, plan.grid + GRID_SLACK_BYTES) : endOffset;
  let reader = plan.blob.slice(plan.dataOffset, Math.max(plan.dataOffset, streamEnd)).stream().getReader();
  // Unit ends: found while streaming on a serial scan (all of them) and on a grid task (its
  // one end); a task's range ends at its given end otherwise.
  const gridTask = plan.grid !== undefined;
  const cutter =
    plan.endOffset === undefined || gridTask
      ? new UnitCutter(plan.dataOffset, plan.unitBytes, plan.grid)
      : null;
  const taskEnd =
    !gridTask && plan.endOffset !== undefined && plan.endOffset < plan.blob.size ? plan.endOffset : null;
  let fetchedEnd = plan.dataOffset; // object offset past the last byte fetched
  const nextCut = (): number | undefined => (cutter ? cutter.peek() : (taskEnd ?? undefined));
  const dropCut = (): void => {
    if (cutter) cutter.shift();
  };
  const nextPiece = async (): Promise<Uint8Array | null> => {
    for (;;) {
      const r = await reader.read();
      if (!r.done) return r.value as Uint8Array;
      if (streamEnd >= endOffset) return null;
      const from = Math.max(plan.dataOffset, streamEnd);
      streamEnd = Math.min(endOffset, from + plan.chunkBytes);
      reader = plan.blob.slice(from, streamEnd).stream().getReader();
    }
  };

  let final = plan.dataOffset >= endOffset;
  let carry: Uint8Array | null = null; // part of a fetched range that did not fit yet
  for (;;) {
    if (plan.signal?.aborted) throw new CancelledError('CSV scan cancelled');
    // Fill the input region.
    // (A grid task whose end is already in the region has read all it needs.)
    while (!final && fill < inputCap && !(gridTask && cutter!.peek() !== undefined)) {
      if (!carry) {
        carry = await nextPiece();
        if (!carry) {
          final = true;
          break;
        }
        counters.bytesScanned += carry.length;
        fetchedEnd += carry.length;
      }
      const take = Math.min(carry.length, inputCap - fill);
      const piece = take === carry.length ? carry : carry.subarray(0, take);
      cutter?.feed(piece, fillObjectOffset + fill);
      w.u8().set(piece, inputPtr + fill);
      counters.bytesCopied += take;
      fill += take;
      carry = take === carry.length ? null : carry.subarray(take);
    }
    e.setPos(inputPtr);
    const t0 = performance.now();
    for (;;) {
      const cut = nextCut();
      const cutting = cut !== undefined && cut <= fillObjectOffset + fill;
      const st = cutting
        ? e.parse(inputPtr + (cut - fillObjectOffset), 0, rows)
        : e.parse(inputPtr + fill, final ? 1 : 0, rows);
      applyFixups();
      if (st < 0) throw csvParseError(st, w, ctx(fillObjectOffset));
      if (st === ParseStatus.FULL || st === ParseStatus.FIX_FULL) {
        counters.decodeMs += performance.now() - t0;
        yield emit();
        continue;
      }
      if (st === ParseStatus.DATA_FULL) {
        const b = buffers.get(e.errCol())!;
        b.dataCap *= 2;
        const pos = e.getPos();
        if (e.getRows() > 0) yield emit();
        // Re-layout keeps the input in place; the parser resumes at the same record.
        layout();
        e.setPos(pos);
        continue;
      }
      if (st === ParseStatus.DONE) {
        counters.decodeMs += performance.now() - t0;
        if (e.getRows() > 0) yield emit();
        if (gridTask && plan.endState) {
          // Stopped by its read limit, not at the object's end: the unit's end was not found.
          if (endOffset < plan.blob.size) plan.endState.aligned = false;
          plan.endState.end = endOffset;
          plan.endState.gridParity = cutter!.gridParity;
        }
        await reader.cancel();
        return;
      }
      if (cutting) {
        // A unit ends here: no batch spans it, on one thread or many.
        const aligned = e.getPos() - inputPtr + fillObjectOffset === cut;
        if (aligned && e.getRows() > 0) yield emit();
        if (gridTask) {
          // Bytes fetched past the unit end belong to the next task: count them there only.
          counters.bytesScanned -= fetchedEnd - cut;
          if (plan.endState) {
            plan.endState.aligned = aligned;
            plan.endState.end = cut;
            plan.endState.gridParity = cutter!.gridParity;
          }
          counters.decodeMs += performance.now() - t0;
          await reader.cancel();
          return;
        }
        if (!cutter) {
          if (plan.endState) plan.endState.aligned = aligned;
          counters.decodeMs += performance.now() - t0;
          await reader.cancel();
          return;
        }
        // When not a record end (a stray quote inside an unquoted field fooled the quote
        // parity), this unit runs on into the next; a parallel scan then falls back to serial.
        dropCut();
        continue;
      }
      break; // NEED_INPUT
    }
    counters.decodeMs += performance.now() - t0;
    const consumed = e.getPos() - inputPtr;
    if (consumed === 0 && fill === inputCap) {
      // One record is longer than the whole input region: flush, then grow the region.
      if (e.getRows() > 0) yield emit();
      inputCap *= 2;
      layout();
      continue;
    }
    w.u8().copyWithin(inputPtr, inputPtr + consumed, inputPtr + fill);
    fill -= consumed;
    fillObjectOffset += consumed;
  }
}

function latin1(u8: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(u8[i]!);
  return s;
}
