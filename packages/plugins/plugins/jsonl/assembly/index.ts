// jsonl: a format-reader plugin for JSON Lines. It reads its object through WASI (path_open,
// fd_read in chunks, fd_close; the path comes from the PUSHDOWN_OBJECT environment variable),
// and fills Arrow column buffers in its own memory batch by batch. The calling convention is
// packages/plugins/src/format-reader/format-reader-abi.ts (format-reader ABI version 1):
//
//   open() → status             reads the environment, the declared or inferred schema, opens the object
//   schema() → ptr              [u32 length][UTF-8 JSON: [{"name","type","nullable"}, ...]]
//   next_batch(max_rows) → n    rows in the batch (0 at the end), or a negative status
//   batch_column(i) → ptr       descriptor of column i of the last batch (8 × i32, see columns.ts)
//   error_message() → ptr       [u32 length][UTF-8] of the last failure;  error_line() → i64
//   close() → status
//
// Statuses: 0 ok, -1 bad data (the line is in error_line), -2 bad arguments, -3 I/O, -4 order.
import { lengthPrefixed } from "./bytes";
import { Column } from "./columns";
import { fail, lineOfError, messagePointer, STATUS_ARGUMENT, STATUS_DATA, STATUS_IO, STATUS_STATE } from "./errors";
import { inferError, inferLine, inferredColumns, Seen } from "./infer";
import { LineInput } from "./input";
import { rowError, parseRow } from "./rows";
import { parseSchema, schemaError, schemaJson } from "./schema";
import { closeFd, getEnv, openRead } from "./wasi";

export const ABI_VERSION: i32 = 1;

const DEFAULT_CHUNK_BYTES: i32 = 64 * 1024;
const DEFAULT_SAMPLE_ROWS: i32 = 20480;

let columns = new Array<Column>();
let input: LineInput | null = null;
let schemaPtr: usize = 0;
let path: string = "";
let chunkBytes: usize = 0;
let failed = false;

function envInt(name: string, fallback: i32, lo: i32, hi: i32): i32 {
  const text = getEnv(name);
  if (text == null) return fallback;
  const v = I32.parseInt(text);
  return v >= lo && v <= hi ? v : fallback;
}

/** Opens the object for reading; a failure is an I/O status naming the path and errno. */
function openInput(): LineInput | null {
  const opened = openRead(path);
  if (opened.errno != 0) {
    fail(STATUS_IO, opened.what + " failed (WASI errno " + opened.errno.toString() + ")");
    return null;
  }
  // A small object needs no full-size chunk buffer.
  const size = opened.size > 0 && opened.size < <u64>chunkBytes ? <usize>opened.size + 1 : chunkBytes;
  return new LineInput(opened.fd, max<usize>(size, 16));
}

function infer(sampleRows: i32): i32 {
  const sample = openInput();
  if (sample == null) return STATUS_IO;
  const seen = new Array<Seen>();
  let rows = 0;
  while (rows < sampleRows && sample.nextLine()) {
    if (isBlank(sample.lineStart, sample.lineEnd)) continue;
    if (!inferLine(seen, sample.lineStart, sample.lineEnd)) return fail(STATUS_DATA, inferError, sample.lineNo);
    rows++;
  }
  closeFd(sample.fd);
  if (sample.errno != 0) return fail(STATUS_IO, "fd_read " + path + " failed (WASI errno " + (-sample.errno).toString() + ")");
  columns = inferredColumns(seen);
  return 0;
}

function isBlank(p: usize, end: usize): bool {
  for (; p < end; p++) {
    const c = load<u8>(p);
    if (c != 32 && c != 9) return false;
  }
  return true;
}

export function open(): i32 {
  if (input != null) return fail(STATUS_STATE, "open() called twice");
  const object = getEnv("PUSHDOWN_OBJECT");
  if (object == null) return fail(STATUS_ARGUMENT, "PUSHDOWN_OBJECT is not set: the host must name the object's path");
  path = object;
  chunkBytes = <usize>envInt("PUSHDOWN_CHUNK_BYTES", DEFAULT_CHUNK_BYTES, 16, 1 << 26);
  const declared = getEnv("PUSHDOWN_SCHEMA");
  if (declared != null) {
    const cols = parseSchema(declared);
    if (cols == null) return fail(STATUS_ARGUMENT, "PUSHDOWN_SCHEMA " + schemaError);
    columns = cols;
  } else {
    const status = infer(envInt("PUSHDOWN_SAMPLE_ROWS", DEFAULT_SAMPLE_ROWS, 1, i32.MAX_VALUE));
    if (status != 0) return status;
  }
  schemaPtr = lengthPrefixed(schemaJson(columns));
  input = openInput();
  return input == null ? STATUS_IO : 0;
}

export function schema(): usize {
  return schemaPtr;
}

export function next_batch(maxRows: i32): i32 {
  const src = input;
  if (src == null || failed) return fail(STATUS_STATE, "next_batch() needs a successful open() and no earlier failure");
  if (maxRows < 1) return fail(STATUS_ARGUMENT, "next_batch(max_rows) needs max_rows >= 1");
  for (let i = 0; i < columns.length; i++) columns[i].begin(maxRows);
  let rows = 0;
  while (rows < maxRows && src.nextLine()) {
    if (isBlank(src.lineStart, src.lineEnd)) continue; // blank lines are not rows
    if (!parseRow(columns, src.lineStart, src.lineEnd)) {
      failed = true;
      return fail(STATUS_DATA, rowError, src.lineNo);
    }
    rows++;
  }
  if (src.errno != 0) {
    failed = true;
    return fail(STATUS_IO, "fd_read " + path + " failed (WASI errno " + (-src.errno).toString() + ")");
  }
  return rows;
}

export function batch_column(i: i32): usize {
  if (i < 0 || i >= columns.length) return 0;
  return columns[i].describe();
}

export function error_message(): usize {
  return messagePointer();
}

export function error_line(): i64 {
  return lineOfError();
}

export function close(): i32 {
  const src = input;
  input = null;
  if (src == null) return 0;
  const errno = closeFd(src.fd);
  return errno == 0 ? 0 : fail(STATUS_IO, "fd_close failed (WASI errno " + errno.toString() + ")");
}
