// Hand-assembled hostile plugins (there is no wabt here): each exports one scalar-UDF `f`
// of type (int32) -> int32 under the ABI, i.e. (values, validity, rows, out, outValidity) -> i32,
// imports env.memory and exports the ABI_VERSION global; only the body of `f` differs.
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const str = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

const LOOP = 0x03,
  IF = 0x04,
  END = 0x0b,
  BR = 0x0c,
  CALL = 0x10,
  VOID = 0x40;
const LOCAL_GET = 0x20,
  I32_CONST = 0x41,
  I32_EQ = 0x46,
  I32_LOAD = 0x28,
  GROW = 0x40,
  TRAP = 0x00;

/** Instruction bytes of `f`'s body (no locals), by hostile behaviour. */
export const HOSTILE_BODIES = {
  // loop { br 0 }; i32.const 0
  spin: [LOOP, VOID, BR, 0, END, I32_CONST, 0],
  // unreachable
  unreachable: [TRAP],
  // f(values, validity, rows, out, outValidity) calls itself forever
  recurse: [LOCAL_GET, 0, LOCAL_GET, 1, LOCAL_GET, 2, LOCAL_GET, 3, LOCAL_GET, 4, CALL, 0],
  // loop { if (memory.grow(1) == -1) unreachable; br 0 }; i32.const 0
  memory_bomb: [
    LOOP,
    VOID,
    I32_CONST,
    1,
    GROW,
    0,
    I32_CONST,
    0x7f,
    I32_EQ,
    IF,
    VOID,
    TRAP,
    END,
    BR,
    0,
    END,
    I32_CONST,
    0,
  ],
  // i32.load at address 0xffffffff
  out_of_bounds: [I32_CONST, 0x7f, I32_LOAD, 2, 0],
  // returns 0: no nulls, output left as the host zeroed it
  benign: [I32_CONST, 0],
} as const;

export function hostileModule(body: readonly number[]): Uint8Array {
  const type = [0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f];
  const code = [0, ...body, END]; // no locals
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([type])),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0]])),
    ...section(6, vec([[0x7f, 0x00, I32_CONST, 1, END]])),
    ...section(
      7,
      vec([
        [...str('f'), 0x00, 0],
        [...str('ABI_VERSION'), 0x03, 0],
      ]),
    ),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}
