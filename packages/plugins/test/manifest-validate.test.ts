// The manifest validator's messages, pinned; every shipped manifest passes; and the JSON Schema
// in schema/manifest.schema.json agrees with the validator on the same table of cases.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { BUILD_DIR, manifestProblems, validateManifest } from '@pushdown/plugins';

const ROOT = join(import.meta.dirname, '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'manifest.schema.json'), 'utf8'));

const GOOD = {
  name: 'my_udf',
  version: '1.0.0',
  abiVersion: 1,
  kind: 'scalar-udf',
  exports: [
    { name: 'f', args: ['utf8'], result: 'bool' },
    { name: 'g', args: ['int64', 'float64'], result: 'float64', constArgs: [1] },
  ],
  runsOn: ['base'],
  limits: { memoryPages: 16, timeBudgetMs: 100 },
  imports: ['env.memory'],
  sha256: 'a'.repeat(64),
};
const with_ = (patch: Record<string, unknown>) => ({ ...GOOD, ...patch });
const without = (key: string) => Object.fromEntries(Object.entries(GOOD).filter(([k]) => k !== key));
const TYPES = 'bool, int32, int64, float64, date32, utf8';

// [title, manifest, exact problems, does the JSON Schema express this rule too?]
const CASES: [string, unknown, string[], boolean][] = [
  ['not an object', [1], ['manifest must be a JSON object (got [1])'], true],
  ['missing name', without('name'), ['manifest.name is required'], true],
  [
    'bad name',
    with_({ name: 'My UDF' }),
    [
      'manifest.name must be 1-64 lowercase letters, digits, "_" or "-", starting with a letter (got "My UDF")',
    ],
    true,
  ],
  [
    'bad version',
    with_({ version: 'v1' }),
    ['manifest.version must be a semantic version like 1.2.0 (got "v1")'],
    true,
  ],
  [
    'other ABI',
    with_({ abiVersion: 2 }),
    ['manifest.abiVersion must be 1, the ABI this host speaks (got 2)'],
    true,
  ],
  [
    'unknown kind',
    with_({ kind: 'udf' }),
    ['manifest.kind must be one of operator, scalar-udf, aggregate-udf, format-reader (got "udf")'],
    true,
  ],
  [
    'bad argument type',
    with_({ exports: [GOOD.exports[0], { name: 'g', args: ['string'], result: 'int64' }] }),
    [`manifest.exports[1].args[0] must be one of ${TYPES} (got "string")`],
    true,
  ],
  [
    'missing result',
    with_({ exports: [{ name: 'f', args: [] }] }),
    ['manifest.exports[0].result is required'],
    true,
  ],
  [
    'bare name in a UDF',
    with_({ exports: ['f'] }),
    ['manifest.exports[0] must be an object {name, args, result} in a scalar-udf (got "f")'],
    true,
  ],
  [
    'const arg out of range',
    with_({ exports: [{ name: 'f', args: ['utf8'], result: 'bool', constArgs: [1] }] }),
    ['manifest.exports[0].constArgs[0] must be an argument index from 0 to 0 (got 1)'],
    false,
  ],
  [
    'repeated export',
    with_({ exports: [GOOD.exports[0], GOOD.exports[0]] }),
    ['manifest.exports[1] repeats the export "f"'],
    false,
  ],
  ['empty exports', with_({ exports: [] }), ['manifest.exports must be a non-empty array (got [])'], true],
  [
    'bad tier',
    with_({ runsOn: ['edge'] }),
    ['manifest.runsOn[0] must be one of base, intermediary (got "edge")'],
    true,
  ],
  [
    'memory too large',
    with_({ limits: { memoryPages: 70000, timeBudgetMs: 1 } }),
    ['manifest.limits.memoryPages must be an integer from 1 to 65536 (64 KiB pages) (got 70000)'],
    true,
  ],
  [
    'zero time budget',
    with_({ limits: { memoryPages: 1, timeBudgetMs: 0 } }),
    ['manifest.limits.timeBudgetMs must be a number of milliseconds above 0 and at most 600000 (got 0)'],
    true,
  ],
  [
    'misspelled limit',
    with_({ limits: { memoryPages: 1, timeBudgetMS: 5 } }),
    [
      'manifest.limits has an unknown field "timeBudgetMS" (did you mean "timeBudgetMs"?)',
      'manifest.limits.timeBudgetMs is required',
    ],
    true,
  ],
  [
    'misspelled top-level field',
    { ...without('version'), vesion: '1.0.0' },
    ['manifest has an unknown field "vesion" (did you mean "version"?)', 'manifest.version is required'],
    true,
  ],
  [
    'no env.memory',
    with_({ imports: ['env.abort'] }),
    ['manifest.imports must include "env.memory": plugins use the memory the host gives them'],
    true,
  ],
  [
    'bad import',
    with_({ imports: ['env.memory', 'fd_read'] }),
    ['manifest.imports[1] must be "module.name", e.g. "env.memory" (got "fd_read")'],
    true,
  ],
  [
    'persist without WASI',
    with_({ persist: { scratch: true } }),
    [
      'manifest.persist.scratch needs a scratch folder, so manifest.imports must name wasi_snapshot_preview1 calls',
    ],
    true,
  ],
  [
    'bad sha256',
    with_({ sha256: 'ABC' }),
    ['manifest.sha256 must be 64 lowercase hex digits (got "ABC")'],
    true,
  ],
  ['missing sha256', without('sha256'), ['manifest.sha256 is required (the build fills it in)'], true],
];

describe('validateManifest', () => {
  it('accepts a complete manifest, with persist and WASI imports too', () => {
    expect(manifestProblems(GOOD)).toEqual([]);
    const wasi = with_({
      kind: 'format-reader',
      exports: ['read_batch'],
      imports: ['env.memory', 'wasi_snapshot_preview1.fd_read'],
      persist: { scratch: true, maxBytes: 1 << 20 },
    });
    expect(validateManifest(wasi).persist).toEqual({ scratch: true, maxBytes: 1 << 20 });
  });

  it.each(CASES)('%s', (_title, manifest, problems) => {
    expect(manifestProblems(manifest)).toEqual(problems);
  });

  it('throws one PluginError listing every problem', () => {
    expect(() => validateManifest(with_({ abiVersion: 0, runsOn: [] }))).toThrow(
      'invalid plugin manifest "my_udf": manifest.abiVersion must be 1, the ABI this host speaks (got 0); ' +
        'manifest.runsOn must be a non-empty array of base, intermediary (got [])',
    );
  });

  it('lets source manifests (before the build) omit sha256', () => {
    expect(manifestProblems(without('sha256'), { source: true })).toEqual([]);
  });
});

describe('shipped manifests', () => {
  const sources = ['operators', 'plugins'].flatMap((folder) =>
    readdirSync(join(ROOT, folder)).map((name) => join(ROOT, folder, name, 'manifest.json')),
  );
  it.each(sources.map((p) => [p.slice(ROOT.length + 1), p]))('source %s is valid', (_rel, path) => {
    expect(manifestProblems(JSON.parse(readFileSync(path, 'utf8')), { source: true })).toEqual([]);
  });

  const built = readdirSync(BUILD_DIR).filter((f) => f.endsWith('.manifest.json'));
  it.each(built)('published build/%s is valid and keeps what the engine reads', (file) => {
    const m = JSON.parse(readFileSync(join(BUILD_DIR, file), 'utf8'));
    expect(manifestProblems(m)).toEqual([]);
    if (m.kind === 'operator') expect(m.exports.every((e: unknown) => typeof e === 'string')).toBe(true);
    expect(m.build).toBeUndefined();
  });
});

describe('manifest.schema.json', () => {
  // ajv 8 is a dev dependency of packages/cli (the root has ajv 6 for eslint).
  const requireFromCli = createRequire(join(ROOT, '..', 'cli', 'package.json'));
  const Ajv = requireFromCli('ajv').default;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('accepts what the validator accepts', () => {
    expect(validate(GOOD)).toBe(true);
    for (const file of readdirSync(BUILD_DIR).filter((f) => f.endsWith('.manifest.json'))) {
      expect([file, validate(JSON.parse(readFileSync(join(BUILD_DIR, file), 'utf8')))]).toEqual([file, true]);
    }
  });

  it.each(CASES.filter((c) => c[3]))('rejects what the validator rejects: %s', (_title, manifest) => {
    expect(validate(manifest)).toBe(false);
  });
});
