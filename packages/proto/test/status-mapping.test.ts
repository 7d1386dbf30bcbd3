import * as grpc from '@grpc/grpc-js';
import {
  CorruptDataError,
  ErrorCode,
  InvalidArgumentError,
  NotFoundError,
  PushdownError,
  ResourceExhaustedError,
  UnavailableError,
  addStandardServices,
  bindServer,
  createGrpcServer,
  createIntermediaryClient,
  deserializeError,
  fromServiceError,
  intermediaryServiceDefinition,
  serializeError,
  toServiceError,
  INTERMEDIARY_SERVICE_NAME,
} from '@pushdown/proto';

describe('error → gRPC status mapping', () => {
  const cases: [Error, grpc.status][] = [
    [new InvalidArgumentError('bad sql'), grpc.status.INVALID_ARGUMENT],
    [new NotFoundError('no table'), grpc.status.NOT_FOUND],
    [new CorruptDataError('bad magic'), grpc.status.DATA_LOSS],
    [new ResourceExhaustedError('too big'), grpc.status.RESOURCE_EXHAUSTED],
    [new UnavailableError('node down'), grpc.status.UNAVAILABLE],
    [new Error('a bug'), grpc.status.INTERNAL],
    [new TypeError('x is undefined'), grpc.status.INTERNAL],
  ];
  it.each(cases.map(([e, c]) => [e.name, e, c] as const))(
    '%s maps to status %i, never UNKNOWN',
    (_name, err, code) => {
      const se = toServiceError(err);
      expect(se.code).toBe(code);
      expect(se.code).not.toBe(grpc.status.UNKNOWN);
      expect(se.details).toBe(err.message);
    },
  );

  it('appends the hint to the message', () => {
    expect(new InvalidArgumentError('unknown column "x"', { hint: 'columns are a, b' }).message).toBe(
      'unknown column "x" (columns are a, b)',
    );
  });

  it('round-trips errors across a worker boundary', () => {
    const back = deserializeError(serializeError(new CorruptDataError('truncated footer')));
    expect(back).toBeInstanceOf(PushdownError);
    expect(back.code).toBe(ErrorCode.CORRUPT_DATA);
    expect(back.message).toBe('truncated footer');
    expect(serializeError(new Error('boom')).code).toBe(ErrorCode.INTERNAL);
  });
});

describe('a real server', () => {
  let server: grpc.Server;
  let address: string;

  beforeAll(async () => {
    server = createGrpcServer();
    server.addService(intermediaryServiceDefinition(), {
      query: (call: grpc.ServerWritableStream<unknown, unknown>) =>
        call.emit('error', toServiceError(new NotFoundError('table "nope" does not exist'))),
      explain: (_call: unknown, cb: grpc.sendUnaryData<unknown>) =>
        cb(toServiceError(new Error('unexpected'))),
      listTables: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { tables: [] }),
    });
    addStandardServices(server, [INTERMEDIARY_SERVICE_NAME]);
    const port = await bindServer(server, '127.0.0.1', 0);
    address = `127.0.0.1:${port}`;
  });
  afterAll(() => server.forceShutdown());

  it('carries the status and the stable code to the client', async () => {
    const client = createIntermediaryClient(address);
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      const call = client.query({ sql: 'select 1' });
      call.on('error', resolve);
      call.on('data', () => {});
    });
    expect(err.code).toBe(grpc.status.NOT_FOUND);
    const back = fromServiceError(err);
    expect(back.code).toBe(ErrorCode.NOT_FOUND);
    expect(back.message).toBe('table "nope" does not exist');

    const err2 = await new Promise<grpc.ServiceError | null>((resolve) =>
      client.explain({ sql: 'x' }, (e) => resolve(e)),
    );
    expect(err2?.code).toBe(grpc.status.INTERNAL);
    client.close();
  });

  it('answers health checks', async () => {
    const Health = grpc.makeGenericClientConstructor(
      {
        Check: {
          path: '/grpc.health.v1.Health/Check',
          requestStream: false,
          responseStream: false,
          requestSerialize: (v: Buffer) => v,
          requestDeserialize: (v: Buffer) => v,
          responseSerialize: (v: Buffer) => v,
          responseDeserialize: (v: Buffer) => v,
        },
      },
      'Health',
    );
    // grpc-js types generic clients as `{ [method: string]: Function }`; the definition above
    // gives this one exactly the unary Check method.
    const client = new Health(address, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
      Check(req: Buffer, cb: (e: grpc.ServiceError | null, r?: Buffer) => void): void;
    };
    // HealthCheckRequest{service=""} is empty; the response's field 1 = 1 means SERVING.
    const res = await new Promise<Buffer>((resolve, reject) =>
      client.Check(Buffer.alloc(0), (e, r) => (e ? reject(e) : resolve(r!))),
    );
    expect([...res]).toEqual([0x08, 0x01]);
    client.close();
  });
});
