// The Compose specification's JSON schema (compose-spec/compose-spec, schema/compose-spec.json)
// as the dclint package ships it (a verbatim copy its maintainers refresh from upstream), and
// an ajv validator for it. Shared by the compose-*.test.ts files.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
// The named export: under NodeNext the default import types as the CommonJS module object.
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const require = createRequire(join(import.meta.dirname, 'compose-schema.ts'));

export const SCHEMA_SOURCE = (() => {
  const pkg = require.resolve('dclint/package.json');
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  return { file: join(dirname(pkg), 'schemas', 'compose.schema.json'), package: `dclint@${version}` };
})();

let compiled: { ajv: Ajv; validate: ValidateFunction } | undefined;

/** The compiled schema (once per test file) and a formatter for its last errors. */
export function composeValidator(): { validate: ValidateFunction; errorsText: () => string } {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
    const schema = JSON.parse(readFileSync(SCHEMA_SOURCE.file, 'utf8')) as { $schema: string };
    // The schema names draft-07 by its https URI; ajv registers it under http. Same meta-schema,
    // so the schema itself is still checked against it.
    const draft7 = require('ajv/dist/refs/json-schema-draft-07.json') as Record<string, unknown>;
    if (schema.$schema !== draft7.$id) ajv.addMetaSchema({ ...draft7, $id: schema.$schema });
    compiled = { ajv, validate: ajv.compile(schema) };
  }
  const { ajv, validate } = compiled;
  return { validate, errorsText: () => ajv.errorsText(validate.errors, { separator: '\n' }) };
}

/** Parses Compose YAML the way both YAML versions Compose implementations use would read it. */
export function parseComposeYaml(text: string): unknown {
  const v12 = parse(text) as unknown;
  const v11 = parse(text, { version: '1.1' }) as unknown;
  expect(v11).toEqual(v12);
  return v12;
}
