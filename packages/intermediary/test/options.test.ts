import { DEFAULT_INTERMEDIARY_OPTIONS, validateIntermediaryOptions } from '@pushdown/intermediary';

const nodes = [{ id: 'b1', grpcAddress: '127.0.0.1:4001' }];

describe('validateIntermediaryOptions', () => {
  test('fills defaults', () => {
    const o = validateIntermediaryOptions({ baseNodes: nodes });
    expect(o.host).toBe('127.0.0.1');
    expect(o.port).toBe(0);
    expect(o.maxConcurrency).toBe(4);
    expect(o.memoryBudgetBytes).toBe(256 * 1024 * 1024);
    expect(o.defaultPlacement).toBe('AUTO');
    expect(o.catalogRefreshMs).toBe(DEFAULT_INTERMEDIARY_OPTIONS.catalogRefreshMs);
    expect(o.spoolDir).toBeNull();
  });

  test.each([
    [{ port: 70000 }, 'options.port must be an integer from 0 to 65535'],
    [{ maxConcurrency: 0 }, 'options.maxConcurrency must be a positive integer'],
    [{ memoryBudgetBytes: -1 }, 'options.memoryBudgetBytes must be a positive integer'],
    [
      { defaultPlacement: 'SOMETIMES' },
      'options.defaultPlacement must be one of AUTO, PUSHDOWN, NO_PUSHDOWN',
    ],
    [
      { catalogRefreshMs: 1.5 },
      'options.catalogRefreshMs must be a non-negative integer (0 turns the timer off)',
    ],
    [{ concurrency: 3 }, 'options.concurrency is not an option; did you mean options.maxConcurrency?'],
    [{ memoryBudget: 3 }, 'options.memoryBudget is not an option; did you mean options.memoryBudgetBytes?'],
    [{ colour: 'red' }, 'options.colour is not an option'],
    [
      { baseNodes: [{ id: 'b1', grpcAddress: 'nohost' }] },
      'options.baseNodes[0].grpcAddress must be host:port',
    ],
    [{ baseNodes: [...nodes, ...nodes] }, 'options.baseNodes has the id "b1" twice'],
  ])('%j → %s', (patch, message) => {
    expect(() => validateIntermediaryOptions({ baseNodes: nodes, ...(patch as object) })).toThrow(message);
  });
});
