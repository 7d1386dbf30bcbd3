// Generated and committed Compose files against the Compose specification's JSON schema.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeHeader, composeToYaml } from '../src/compose/compose-yaml.js';
import { topologyToCompose } from '../src/compose/topology-to-compose.js';
import { loadTopology, validateTopology } from '../src/topology/topology.js';
import { composeValidator, parseComposeYaml, SCHEMA_SOURCE } from './compose-schema.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const DOCKER_TOPOLOGY = 'docker/topology.yaml';

async function generate(topologyFile: string, output = 'docker-compose.yml'): Promise<string> {
  const topology = await loadTopology(resolve(ROOT, topologyFile));
  return composeToYaml(topologyToCompose(topology, { outputDir: ROOT }), composeHeader(topologyFile, output));
}

function expectValid(doc: unknown): void {
  const { validate, errorsText } = composeValidator();
  const ok = validate(doc);
  if (!ok) throw new Error(`not a valid Compose file (${SCHEMA_SOURCE.package}):\n${errorsText()}`);
}

describe(`Compose files against the Compose specification schema (${SCHEMA_SOURCE.package})`, () => {
  it('the schema is the Compose specification and rejects what Compose rejects', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_SOURCE.file, 'utf8')) as { title: string };
    expect(schema.title).toBe('Compose Specification');
    const { validate } = composeValidator();
    const good = { services: { a: { image: 'x', cpus: 0.5, mem_limit: '512m' } } };
    expect(validate(good)).toBe(true);
    // A misspelled key, a bad depends_on condition, a healthcheck without its test list shape.
    expect(validate({ services: { a: { image: 'x', cpu: 0.5 } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x', depends_on: { b: { condition: 'healthy' } } } } })).toBe(
      false,
    );
    expect(validate({ services: { a: { image: 'x', healthcheck: { test: 7 } } } })).toBe(false);
  });

  it.each([DOCKER_TOPOLOGY, 'topologies/default.yaml', 'topologies/edge.yaml'])(
    'the Compose file generated from %s validates',
    async (file) => {
      expectValid(parseComposeYaml(await generate(file, 'out.yml')));
    },
  );

  it('a topology with replicas, link overrides, a throttled intermediary and a files table validates', () => {
    const topology = validateTopology(
      {
        link: { latencyMs: 20, bandwidthMbps: 100 },
        intermediary: { port: 6000, cpus: 2, memory: '2GiB', memoryBudget: '64MiB' },
        baseNodes: [
          { id: 'edge-1', cpus: 0.1, memory: '128MiB', grpcPort: 9001, httpPort: 9002 },
          { id: 'edge_2', cpus: 0.25, memory: '256MiB', link: { latencyMs: 50, bandwidthMbps: 10 } },
          { id: 'edge-3' },
        ],
        tables: {
          lineitem: { gen: { table: 'lineitem', sf: 0.01, format: 'csv', parts: 3 }, replicas: 2 },
          mine: { files: ['fixtures/x.csv'], nodes: ['edge-3'] },
        },
      },
      'edge-test',
      { baseDir: resolve(ROOT, 'data') },
    );
    const compose = topologyToCompose(topology, { outputDir: ROOT });
    expectValid(parseComposeYaml(composeToYaml(compose, ['x'])));
  });
});

describe('the committed docker-compose.yml', () => {
  const committed = readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8');

  it('validates against the Compose specification schema', () => {
    expectValid(parseComposeYaml(committed));
  });

  it(`is exactly what \`pushdown compose --topology ${DOCKER_TOPOLOGY}\` generates`, async () => {
    const generated = await generate(DOCKER_TOPOLOGY);
    if (committed !== generated) {
      throw new Error(
        `docker-compose.yml is stale; regenerate it: npx pushdown compose --topology ${DOCKER_TOPOLOGY} --output docker-compose.yml`,
      );
    }
  });
});
