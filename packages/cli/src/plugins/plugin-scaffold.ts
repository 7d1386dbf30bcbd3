/**
 * `pushdown plugins new NAME`: a scalar-UDF plugin folder that builds and runs as it is, so a
 * user starts from working code: `assembly/index.ts` (a worked example of the ABI in
 * packages/plugins/src/udf-abi.ts: one utf8 argument, a bool result, nulls kept), the source
 * `manifest.json` with the compiler flags the shipped plugins use, and a short README.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AlreadyExistsError, InvalidArgumentError } from '@pushdown/proto';

/** SQL function and plugin name: an identifier, so it is also a WebAssembly export name. */
const NAME_RE = /^[a-z][a-z0-9_]{0,62}$/;

export interface ScaffoldResult {
  dir: string;
  files: string[];
}

/** Writes the plugin folder `dir` for a UDF called `name`; refuses a folder that has files. */
export async function scaffoldPlugin(name: string, dir: string): Promise<ScaffoldResult> {
  if (!NAME_RE.test(name)) {
    throw new InvalidArgumentError(
      `"${name}" cannot name a plugin: use lower-case letters, digits and "_", starting with a letter`,
      {
        hint: `for example ${
          name
            .toLowerCase()
            .replace(/[^a-z0-9_]/g, '_')
            .replace(/^[^a-z]+/, '') || 'my_fn'
        }`,
      },
    );
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new AlreadyExistsError(`${dir} already exists and is not empty`, {
      hint: 'pick another --dir, or remove the folder first',
    });
  }
  const files: Record<string, string> = {
    'manifest.json': JSON.stringify(manifest(name), null, 2) + '\n',
    'assembly/index.ts': assemblySource(name),
    'README.md': readme(name),
  };
  await mkdir(join(dir, 'assembly'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) await writeFile(join(dir, rel), text);
  return { dir, files: Object.keys(files) };
}

function manifest(name: string) {
  return {
    name,
    version: '0.1.0',
    abiVersion: 1,
    kind: 'scalar-udf',
    description: `${name}(s): true when s contains NEEDLE (ASCII, ignoring case); null in, null out.`,
    exports: [
      { name, args: ['utf8'], result: 'bool', description: 's contains NEEDLE, ignoring ASCII case' },
    ],
    runsOn: ['base', 'intermediary'],
    limits: { memoryPages: 256, timeBudgetMs: 5000 },
    imports: ['env.memory'],
    // Static data from byte 4096 (below the host's arena at 64 KiB), no memory export, no abort
    // import: what the ABI and the verifier ask of every plugin.
    build: {
      ascFlags: ['--memoryBase', '4096', '--noExportMemory', '--use', 'abort=', '--initialMemory', '1'],
    },
  };
}

function assemblySource(name: string): string {
  return `// ${name}: a scalar UDF for Pushdown Lab.  SQL: ${name}(s VARCHAR) -> BOOLEAN
//
// The scalar-UDF ABI (packages/plugins/src/udf-abi.ts): the host calls the function once per
// batch, never per row. Memory is imported (env.memory, capped by manifest.limits.memoryPages);
// each argument arrives as an Arrow column given by i32 pointers (utf8: offsets, data, validity),
// then the row count, then the result's buffers (bool: values bitmap, validity bitmap). A validity
// pointer of 0 means "no nulls". Bitmaps are Arrow's: bit i of byte i >> 3, least significant bit
// first. The function returns the result's null count. Do not allocate: the host owns memory
// from 64 KiB up, and this module's static data stays below it.

export const ABI_VERSION: i32 = 1;

// The word to look for (ASCII, matched ignoring case). Change it, then \`pushdown plugins build\`.
const NEEDLE = "special";

@inline function isValid(validity: usize, i: i32): bool {
  return validity == 0 || ((load<u8>(validity + (<usize>i >> 3)) >> (<u8>i & 7)) & 1) != 0;
}

@inline function setBit(bits: usize, i: i32): void {
  const p = bits + (<usize>i >> 3);
  store<u8>(p, load<u8>(p) | (<u8>1 << (<u8>i & 7)));
}

@inline function lower(c: u32): u32 {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Whether the len bytes at p contain NEEDLE, ignoring ASCII case. */
function matches(p: usize, len: i32): bool {
  const m = NEEDLE.length;
  for (let s = 0; s + m <= len; s++) {
    let j = 0;
    while (j < m && lower(<u32>load<u8>(p + <usize>(s + j))) == lower(<u32>NEEDLE.charCodeAt(j))) j++;
    if (j == m) return true;
  }
  return false;
}

/** ${name}(s utf8) -> bool: (offsets, data, validity) of s, rows, then the result's (values, validity). */
export function ${name}(offs: usize, data: usize, valid: usize, n: i32, out: usize, outValid: usize): i32 {
  const bytes = (<usize>n + 7) >> 3;
  memory.fill(out, 0, bytes);
  memory.fill(outValid, 0, bytes);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (!isValid(valid, i)) {
      nulls++; // null in, null out: leave both bits 0
      continue;
    }
    const start = load<i32>(offs + (<usize>i << 2));
    const end = load<i32>(offs + (<usize>(i + 1) << 2));
    if (matches(data + <usize>start, end - start)) setBit(out, i);
    setBit(outValid, i);
  }
  return nulls;
}
`;
}

function readme(name: string): string {
  return `# ${name}

A scalar UDF for Pushdown Lab, made by \`pushdown plugins new ${name}\`.

- \`assembly/index.ts\`: the function (AssemblyScript); the comment at the top explains the ABI.
- \`manifest.json\`: name, exported functions with their SQL types, limits, imports, build flags.

\`\`\`sh
pushdown plugins build .        # compiles to build/${name}.wasm and writes build/manifest.json (with its sha256)
pushdown plugins add .          # installs it on the running topology (intermediary and every base node)
pushdown query "SELECT count(*) AS n FROM lineitem WHERE ${name}(l_comment)"
\`\`\`

To add a function: export it from \`assembly/index.ts\` and list it in \`manifest.json\` \`exports\`
with its argument and result types (bool, int32, int64, float64, date32, utf8).
\`pushdown plugins verify build\` says exactly what a node would refuse and why.
`;
}
