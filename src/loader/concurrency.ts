// Bounds on what a load has in flight: requests (a counting limiter) and bytes held in memory (a weighted
// one). Written by hand because neither p-limit nor a semaphore package is among the dependencies; both are a
// queue of waiters in FIFO order.

/** At most `capacity` units held at once; a request larger than the capacity waits until nothing is held. */
export class Semaphore {
  private held = 0;
  private readonly waiters: { weight: number; wake: () => void }[] = [];

  constructor(readonly capacity: number) {}

  async acquire(weight = 1): Promise<void> {
    if (this.waiters.length === 0 && this.fits(weight)) {
      this.held += weight;
      return;
    }
    await new Promise<void>((wake) => this.waiters.push({ weight, wake }));
  }

  release(weight = 1): void {
    this.held -= weight;
    while (this.waiters.length > 0 && this.fits(this.waiters[0]!.weight)) {
      const next = this.waiters.shift()!;
      this.held += next.weight;
      next.wake();
    }
  }

  /** Run `task` holding `weight` units. */
  async run<T>(task: () => Promise<T>, weight = 1): Promise<T> {
    await this.acquire(weight);
    try {
      return await task();
    } finally {
      this.release(weight);
    }
  }

  private fits(weight: number): boolean {
    return this.held === 0 || this.held + weight <= this.capacity;
  }
}

/** Call `task` for every item with at most `limit` calls running; stops starting new ones after a failure. */
export async function forEachLimited<T>(items: Iterable<T>, limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failed = false;
  const lane = async (): Promise<void> => {
    for (let next = iterator.next(); !next.done && !failed; next = iterator.next()) {
      try {
        await task(next.value);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const lanes = Array.from({ length: Math.max(1, limit) }, lane);
  const results = await Promise.allSettled(lanes);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
}
