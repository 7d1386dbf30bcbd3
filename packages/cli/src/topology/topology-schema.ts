/**
 * JSON Schema (draft 2020-12) of a topology file, for editors (`# yaml-language-server:
 * $schema=...`) and docs. `validateTopology` is the authority (it gives the friendlier
 * messages and cross-checks ids and ports); this schema describes the same shape.
 */

const size = {
  description: 'bytes, or a size like "512MiB", "1GiB", "256m"; 0 = no limit',
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*([kKmMgGtT]([iI]?[bB])?|[bB])?\\s*$' },
  ],
} as const;

const cpus = {
  description: 'CPU quota in cores (0.25 = a quarter of one core)',
  type: 'number',
  exclusiveMinimum: 0,
};

const link = {
  type: 'object',
  description: 'emulated link from the base node to the intermediary',
  additionalProperties: false,
  properties: {
    latencyMs: { type: 'number', minimum: 0, description: 'added latency per message; 0 = none' },
    bandwidthMbps: { type: 'number', minimum: 0, description: 'bandwidth cap in Mbit/s; 0 = unlimited' },
  },
} as const;

const port = { type: 'integer', minimum: 0, maximum: 65535, description: '0 picks a free port' } as const;
const id = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' } as const;

export const TOPOLOGY_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://pushdown.dev/schemas/topology.json',
  title: 'Pushdown Lab topology',
  type: 'object',
  additionalProperties: false,
  required: ['baseNodes'],
  properties: {
    host: { type: 'string', minLength: 1, default: '127.0.0.1' },
    link,
    intermediary: {
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { ...port, default: 50051 },
        cpus: { type: 'number', minimum: 0, description: 'CPU quota in cores; 0 = unthrottled' },
        memory: size,
        memoryBudget: { ...size, description: 'bytes the intermediary may buffer; default 256MiB' },
      },
    },
    baseNodes: {
      oneOf: [
        {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id'],
            properties: {
              id,
              grpcPort: port,
              httpPort: port,
              cpus,
              memory: size,
              dataDir: {
                type: 'string',
                minLength: 1,
                description: 'relative to the data dir; default nodes/<id>',
              },
              link,
            },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['count'],
          properties: {
            count: { type: 'integer', minimum: 1, maximum: 64, description: 'nodes b1..bN' },
            cpus,
            memory: size,
            link,
          },
        },
      ],
    },
    tables: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          gen: {
            type: 'object',
            additionalProperties: false,
            required: ['table', 'sf'],
            properties: {
              table: { type: 'string' },
              sf: { type: 'number', exclusiveMinimum: 0 },
              format: { enum: ['parquet', 'csv'], default: 'parquet' },
              parts: { type: 'integer', minimum: 1, maximum: 1000, default: 1 },
            },
          },
          files: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          nodes: { type: 'array', minItems: 1, uniqueItems: true, items: id },
          replicas: { type: 'integer', minimum: 1, default: 1 },
        },
        oneOf: [{ required: ['gen'] }, { required: ['files'] }],
      },
    },
  },
} as const;
