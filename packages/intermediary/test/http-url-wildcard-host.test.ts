// A base node bound to 0.0.0.0 (as in Docker) reports http://0.0.0.0:PORT as its object API;
// the no-pushdown path must pull from the host it reaches the node's gRPC at instead.
import type { BaseNodeState } from '../src/catalog/base-node-registry.js';
import { httpUrlOf } from '../src/catalog/base-node-registry.js';

const node = (grpcAddress: string, httpUrl: string) =>
  ({ id: 'b1', grpcAddress, capabilities: { httpUrl } }) as unknown as BaseNodeState;

describe('httpUrlOf', () => {
  it.each([
    ['b1:7001', 'http://0.0.0.0:8001', 'http://b1:8001'],
    ['b1:7001', 'http://[::]:8001/', 'http://b1:8001'],
    ['[::1]:7001', 'http://0.0.0.0:8001', 'http://[::1]:8001'],
    ['127.0.0.1:7001', 'http://127.0.0.1:8001/', 'http://127.0.0.1:8001'],
    ['b1:7001', 'http://10.0.0.5:8001', 'http://10.0.0.5:8001'],
  ])('gRPC %s, reported %s → %s', (grpc, reported, expected) => {
    expect(httpUrlOf(node(grpc, reported))).toBe(expected);
  });

  it('is null when the node has not reported one', () => {
    expect(httpUrlOf(node('b1:7001', ''))).toBeNull();
  });
});
