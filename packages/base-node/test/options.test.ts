import { DEFAULT_BASE_NODE_OPTIONS, parseBaseNodeArgs, resolveBaseNodeOptions } from '@pushdown/base-node';
import { InvalidArgumentError } from '@pushdown/proto';

describe('resolveBaseNodeOptions', () => {
  const base = { nodeId: 'base-1', dataDir: '/tmp/x' };

  it('fills the defaults', () => {
    const o = resolveBaseNodeOptions(base);
    expect(o).toMatchObject({
      ...base,
      host: '127.0.0.1',
      grpcPort: 0,
      httpPort: 0,
      cpuQuota: 0,
      memoryLimitBytes: 0,
    });
    expect(o.maxObjectBytes).toBe(4 * 1024 ** 3);
    expect(DEFAULT_BASE_NODE_OPTIONS.maxObjectBytes).toBe(4 * 1024 ** 3);
  });

  const bad: [string, object, string][] = [
    ['empty node id', { nodeId: '' }, "options.nodeId must be 1 to 100 letters, digits, '.', '_' or '-'"],
    [
      'node id with a slash',
      { nodeId: 'a/b' },
      "options.nodeId must be 1 to 100 letters, digits, '.', '_' or '-'",
    ],
    ['empty data dir', { dataDir: '' }, 'options.dataDir must be a non-empty path'],
    ['empty host', { host: '' }, 'options.host must be a non-empty host name or address'],
    ['negative port', { grpcPort: -1 }, 'options.grpcPort must be an integer from 0 to 65535'],
    ['huge port', { httpPort: 70000 }, 'options.httpPort must be an integer from 0 to 65535'],
    ['fractional port', { httpPort: 1.5 }, 'options.httpPort must be an integer from 0 to 65535'],
    ['zero max size', { maxObjectBytes: 0 }, 'options.maxObjectBytes must be a positive integer'],
    ['negative quota', { cpuQuota: -0.5 }, 'options.cpuQuota must be a non-negative number (0 = unknown)'],
    ['NaN quota', { cpuQuota: NaN }, 'options.cpuQuota must be a non-negative number (0 = unknown)'],
    [
      'negative memory',
      { memoryLimitBytes: -1 },
      'options.memoryLimitBytes must be a non-negative integer (0 = unknown)',
    ],
    ['misspelled option', { grpcport: 5 }, 'unknown option options.grpcport; did you mean options.grpcPort?'],
    [
      'kebab-case option',
      { 'max-object-bytes': 5 },
      'unknown option options.max-object-bytes; did you mean options.maxObjectBytes?',
    ],
  ];
  it.each(bad)('refuses %s', (_what, patch, message) => {
    const call = () => resolveBaseNodeOptions({ ...base, ...patch } as never);
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(message);
  });
});

describe('parseBaseNodeArgs', () => {
  it('maps every flag', () => {
    const parsed = parseBaseNodeArgs([
      '--node-id',
      'b2',
      '--data-dir',
      '/d',
      '--host',
      '0.0.0.0',
      '--grpc-port',
      '7001',
      '--http-port',
      '7002',
      '--max-object-bytes',
      '1024',
      '--cpu-quota',
      '0.25',
      '--memory-limit',
      '268435456',
    ]);
    expect(parsed).toEqual({
      help: false,
      options: {
        nodeId: 'b2',
        dataDir: '/d',
        host: '0.0.0.0',
        grpcPort: 7001,
        httpPort: 7002,
        maxObjectBytes: 1024,
        cpuQuota: 0.25,
        memoryLimitBytes: 268435456,
      },
    });
  });

  it('leaves unset flags to the defaults', () => {
    expect(parseBaseNodeArgs(['--node-id', 'b', '--data-dir', '/d'])).toEqual({
      help: false,
      options: { nodeId: 'b', dataDir: '/d' },
    });
  });

  it('knows --help', () => {
    expect(parseBaseNodeArgs(['--help'])).toEqual({ help: true });
  });

  it.each([
    [['--data-dir', '/d'], '--node-id is required'],
    [['--node-id', 'b'], '--data-dir is required'],
    [['--node-id', 'b', '--data-dir', '/d', '--grpc-port', 'abc'], '--grpc-port must be a number, got "abc"'],
    [['--node-id', 'b', '--data-dir', '/d', '--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBaseNodeArgs(argv)).toThrow(message);
  });
});
