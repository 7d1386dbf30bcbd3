import { tableFromArrays } from 'apache-arrow';
import { ErrorCode, PushdownError } from '@pushdown/proto';
import { ConcurrencyLimiter, MemoryBudget } from '@pushdown/intermediary';
import { BatchChannel, batchBytes } from '../src/fanout/batch-channel.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('MemoryBudget', () => {
  test('waits when spent and wakes in FIFO order on release', async () => {
    const budget = new MemoryBudget(100);
    await budget.acquire(60);
    const order: string[] = [];
    const a = budget.acquire(50).then(() => order.push('a'));
    const b = budget.acquire(10).then(() => order.push('b')); // fits, but waits behind a (FIFO)
    await tick();
    expect(order).toEqual([]);
    expect(budget.waiting).toBe(2);
    budget.release(60);
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
    expect(budget.used).toBe(60);
    expect(budget.peak).toBe(60);
  });

  test('a request larger than the whole budget fails with RESOURCE_EXHAUSTED at once', async () => {
    const budget = new MemoryBudget(1024);
    const err = await budget.acquire(4096, undefined, 'a batch of t/o.parquet').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushdownError);
    expect((err as PushdownError).code).toBe(ErrorCode.RESOURCES_EXHAUSTED);
    expect((err as Error).message).toBe(
      'a batch of t/o.parquet needs 4.0 KiB, more than the whole memory budget of 1.0 KiB ' +
        '(raise the intermediary --memory-budget, or make the batches smaller)',
    );
    expect(() => budget.force(4096)).toThrow(/more than the whole memory budget/);
  });

  test('an abort while waiting rejects with the reason and frees the queue', async () => {
    const budget = new MemoryBudget(10);
    await budget.acquire(10);
    const ctl = new AbortController();
    const p = budget.acquire(5, ctl.signal);
    const later = budget.acquire(5);
    ctl.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    budget.release(10);
    await later;
    expect(budget.used).toBe(5);
  });

  test('grantHead lets the oldest waiter through over budget', async () => {
    const budget = new MemoryBudget(10);
    await budget.acquire(10);
    let done = false;
    const p = budget.acquire(8).then(() => (done = true));
    expect(budget.grantHead()).toBe(true);
    await p;
    expect(done).toBe(true);
    expect(budget.used).toBe(18);
    expect(budget.grantHead()).toBe(false);
  });
});

describe('ConcurrencyLimiter', () => {
  test('never runs more than the limit at once and runs everything', async () => {
    const limiter = new ConcurrencyLimiter(3);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 1 + (i % 4)));
          running--;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(3);
    expect(limiter.peak).toBe(3);
    expect(limiter.active).toBe(0);
  });

  test('a failing task frees its slot', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'ok')).resolves.toBe('ok');
  });

  test('an aborted waiter never runs', async () => {
    const limiter = new ConcurrencyLimiter(1);
    let release!: () => void;
    const first = limiter.run(() => new Promise<void>((r) => (release = r)));
    const ctl = new AbortController();
    let ran = false;
    const second = limiter.run(async () => void (ran = true), ctl.signal);
    ctl.abort(new Error('cancelled'));
    await expect(second).rejects.toThrow('cancelled');
    release();
    await first;
    expect(ran).toBe(false);
    expect(() => new ConcurrencyLimiter(0)).toThrow('limit must be a positive integer');
  });
});

describe('BatchChannel', () => {
  const batch = () => tableFromArrays({ x: new Float64Array(1000) }).batches[0]!;

  test('producers wait on the budget until the consumer takes batches', async () => {
    const one = batchBytes(batch());
    const budget = new MemoryBudget(one * 2);
    const channel = new BatchChannel(budget);
    const signal = new AbortController().signal;
    let pushed = 0;
    const producer = (async () => {
      for (let i = 0; i < 6; i++) {
        await channel.push(batch(), 'a batch', signal);
        pushed++;
      }
      channel.close();
    })();
    await tick();
    expect(pushed).toBe(2); // the third waits for room
    expect(budget.used).toBe(one * 2);
    let got = 0;
    for await (const b of channel.batches()) {
      got += b.numRows;
      expect(budget.used).toBeLessThanOrEqual(one * 2);
    }
    await producer;
    expect(got).toBe(6000);
    expect(budget.used).toBe(0);
  });

  test('a starving consumer lets a producer through even when held memory fills the budget', async () => {
    const one = batchBytes(batch());
    const budget = new MemoryBudget(one * 2);
    await budget.acquire(one * 2); // e.g. pulled objects held by the fragments
    const channel = new BatchChannel(budget);
    const signal = new AbortController().signal;
    const producer = (async () => {
      await channel.push(batch(), 'a batch', signal);
      await channel.push(batch(), 'a batch', signal);
      channel.close();
    })();
    let n = 0;
    for await (const _ of channel.batches()) n++;
    await producer;
    expect(n).toBe(2);
  });

  test('the first failure reaches the consumer; an early stop gives the memory back', async () => {
    const budget = new MemoryBudget(1 << 30);
    const channel = new BatchChannel(budget);
    const signal = new AbortController().signal;
    await channel.push(batch(), 'a batch', signal);
    await channel.push(batch(), 'a batch', signal);
    const it = channel.batches();
    await it.next();
    await it.return(undefined);
    expect(budget.used).toBe(0);

    const failing = new BatchChannel(budget);
    failing.fail(new Error('base node b1 died'));
    failing.fail(new Error('second error is ignored'));
    await expect(failing.batches().next()).rejects.toThrow('base node b1 died');
  });
});
