/**
 * Per-sender flood limit: at most `max` messages per sliding `windowMs`. The first
 * message over the limit gets one notice; the rest are dropped until the window
 * has room again.
 */
export type FloodVerdict =
  | { verdict: 'allow' }
  /** First message over the limit: tell the sender, and when they may write again. */
  | { verdict: 'notify'; until: number }
  | { verdict: 'drop' };

export class FloodLimiter {
  private readonly recent = new Map<string, number[]>();
  private readonly notified = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  check(key: string, now: number): FloodVerdict {
    const since = now - this.windowMs;
    const times = (this.recent.get(key) ?? []).filter((t) => t > since);
    if (times.length < this.max) {
      times.push(now);
      this.recent.set(key, times);
      this.notified.delete(key);
      return { verdict: 'allow' };
    }
    this.recent.set(key, times);
    if (this.notified.has(key)) return { verdict: 'drop' };
    this.notified.add(key);
    // Dropped messages are not counted, so the window has room once its oldest message leaves it.
    return { verdict: 'notify', until: Math.min(...times) + this.windowMs };
  }

  /** Forgets senders with nothing in the window (keeps memory bounded). */
  sweep(now: number): void {
    const since = now - this.windowMs;
    for (const [key, times] of this.recent) {
      if (times.every((t) => t <= since)) {
        this.recent.delete(key);
        this.notified.delete(key);
      }
    }
  }
}
