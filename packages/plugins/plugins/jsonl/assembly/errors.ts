// The reader's error state. Exports return a negative status and leave the reason here; the host
// reads it through error_message() (a pointer to [u32 length][UTF-8 bytes]) and error_line()
// (1-based line of the object, 0 when the error is not about one line). Messages are built with
// AssemblyScript strings: errors are rare, so the allocations they cost do not matter.

/** The line holds malformed JSON or a value its column cannot take. */
export const STATUS_DATA: i32 = -1;
/** The host's arguments are wrong: no PUSHDOWN_OBJECT, a bad PUSHDOWN_SCHEMA. */
export const STATUS_ARGUMENT: i32 = -2;
/** A WASI call failed (the errno is in the message). */
export const STATUS_IO: i32 = -3;
/** A call out of order (next_batch before open, after an error, ...). */
export const STATUS_STATE: i32 = -4;

let messagePtr: usize = 0;
let errorLine: i64 = 0;
let lastStatus: i32 = 0;

/** Records an error and returns `status`, so callers can `return fail(...)`. */
export function fail(status: i32, message: string, line: i64 = 0): i32 {
  const bytes = String.UTF8.encode(message);
  const n = bytes.byteLength;
  messagePtr = heap.alloc(<usize>n + 4);
  store<u32>(messagePtr, <u32>n);
  memory.copy(messagePtr + 4, changetype<usize>(bytes), <usize>n);
  errorLine = line;
  lastStatus = status;
  return status;
}

/** The status of the last failure (0 when none). */
export function failedStatus(): i32 {
  return lastStatus;
}

export function messagePointer(): usize {
  return messagePtr;
}

export function lineOfError(): i64 {
  return errorLine;
}

/** A byte as text for messages: 'x' when printable ASCII, else its hex code. */
export function showByte(b: u32): string {
  if (b >= 0x20 && b < 0x7f) return "'" + String.fromCharCode(<i32>b) + "'";
  return "byte 0x" + (b < 16 ? "0" : "") + b.toString(16);
}
