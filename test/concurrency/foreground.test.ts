import { describe, expect, it } from 'vitest';
import { answering, isAnswering, onAnswering } from '../../src/concurrency/foreground.js';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve = (): void => {};
  let reject = (_: Error): void => {};
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe('answering a chat (foreground)', () => {
  it('is busy from the first chat in hand until the last is done, told once each way', async () => {
    const heard: boolean[] = [];
    const stop = onAnswering((busy) => heard.push(busy));
    try {
      const a = deferred();
      const b = deferred();
      expect(isAnswering()).toBe(false);
      const first = answering(() => a.promise);
      const second = answering(() => b.promise);
      expect(isAnswering()).toBe(true);
      a.resolve();
      await first;
      expect(isAnswering()).toBe(true); // the second is still in hand
      expect(heard).toEqual([true]);
      b.resolve();
      await second;
      expect(isAnswering()).toBe(false);
      expect(heard).toEqual([true, false]);
    } finally {
      stop();
    }
  });

  it('ends with a chat whose handling fails, and passes the result or the error on', async () => {
    const heard: boolean[] = [];
    const stop = onAnswering((busy) => heard.push(busy));
    try {
      await expect(answering(async () => 7)).resolves.toBe(7);
      const failing = deferred();
      const pending = answering(() => failing.promise);
      failing.reject(new Error('boom'));
      await expect(pending).rejects.toThrow('boom');
      expect(isAnswering()).toBe(false);
      expect(heard).toEqual([true, false, true, false]);
    } finally {
      stop();
    }
    await answering(async () => undefined);
    expect(heard).toHaveLength(4); // unsubscribed
  });
});
