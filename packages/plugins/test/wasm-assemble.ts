// Hand-assembles tiny WebAssembly binaries (there is no wabt here) for the hostile-module tests:
// each function returns i32 0, the rest is what the test asks for.
export interface TinyModule {
  /** Import env.memory (default true). */
  importMemory?: boolean;
  /** Define a memory of its own (section 5). */
  defineMemory?: boolean;
  /** Export memory 0 as "memory". */
  exportMemory?: boolean;
  /** Extra function imports `module.name`, each () -> (). */
  importFunctions?: string[];
  /** Exported functions: name and i32 parameter count. */
  functions?: { name: string; params: number }[];
  /** Export an immutable i32 global ABI_VERSION = 1 (default true). */
  abiGlobal?: boolean;
}

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
const section = (id: number, body: number[]) => (body.length ? [id, ...uleb(body.length), ...body] : []);

export function assemble(spec: TinyModule): Uint8Array {
  const fns = spec.functions ?? [{ name: 'f', params: 1 }];
  const imported = spec.importFunctions ?? [];
  // type 0: () -> (); type 1 + k: (i32 × k) -> i32 for each distinct arity
  const arities = [...new Set(fns.map((f) => f.params))];
  const types = [[0x60, 0, 0], ...arities.map((k) => [0x60, ...uleb(k), ...Array(k).fill(0x7f), 1, 0x7f])];
  const imports: number[][] = [];
  if (spec.importMemory ?? true) imports.push([...str('env'), ...str('memory'), 0x02, 0x00, 1]);
  for (const imp of imported) {
    const [m, n] = imp.split('.') as [string, string];
    imports.push([...str(m), ...str(n), 0x00, 0]);
  }
  const exports: number[][] = fns.map((f, i) => [...str(f.name), 0x00, ...uleb(imported.length + i)]);
  if (spec.abiGlobal ?? true) exports.push([...str('ABI_VERSION'), 0x03, 0]);
  if (spec.exportMemory) exports.push([...str('memory'), 0x02, 0]);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, imports.length ? vec(imports) : []),
    ...section(3, vec(fns.map((f) => uleb(1 + arities.indexOf(f.params))))),
    ...section(5, spec.defineMemory ? vec([[0x00, 1]]) : []),
    ...section(6, (spec.abiGlobal ?? true) ? vec([[0x7f, 0x00, 0x41, 0x01, 0x0b]]) : []),
    ...section(7, vec(exports)),
    ...section(10, vec(fns.map(() => [4, 0, 0x41, 0, 0x0b]))),
  ];
  return new Uint8Array(bytes);
}
