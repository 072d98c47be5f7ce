// The bounds on what a load has in flight.
import { describe, expect, it } from "vitest";
import { forEachLimited, Semaphore } from "../../src/loader/concurrency.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("Semaphore", () => {
  it("holds at most its capacity, in FIFO order, and lets an oversized request through alone", async () => {
    const budget = new Semaphore(10);
    const order: string[] = [];
    await budget.acquire(6);
    const second = budget.acquire(6).then(() => order.push("second"));
    const third = budget.acquire(1).then(() => order.push("third"));
    await tick();
    expect(order).toEqual([]);
    budget.release(6);
    await Promise.all([second, third]);
    expect(order).toEqual(["second", "third"]);
    budget.release(7);
    await budget.acquire(50); // more than the capacity: allowed when nothing else is held
    budget.release(50);
  });
});

describe("forEachLimited", () => {
  it("runs at most `limit` tasks at once and stops starting new ones after a failure", async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const failure = forEachLimited([1, 2, 3, 4, 5, 6, 7, 8], 3, async (n) => {
      started.push(n);
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
      if (n === 2) throw new Error("task 2 failed");
    });
    await expect(failure).rejects.toThrow("task 2 failed");
    expect(peak).toBe(3);
    expect(started.length).toBeLessThan(8);
  });
});
