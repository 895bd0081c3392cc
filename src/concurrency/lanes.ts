/**
 * One lane per key: work in a lane runs one piece at a time, in arrival order; lanes
 * run side by side. The router keeps one per chat (a later message is never answered
 * before an earlier one); chat sign-in one per username.
 */
export class Lanes {
  private readonly tails = new Map<string, Promise<void>>();
  private queued = 0;

  /** Runs `work` after everything queued before it in `lane`; resolves or rejects with it. */
  run<T>(lane: string, work: () => Promise<T>): Promise<T> {
    this.queued++;
    const before = this.tails.get(lane) ?? Promise.resolve();
    const result = before.then(work).finally(() => {
      this.queued--;
    });
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(lane, tail);
    void tail.then(() => {
      if (this.tails.get(lane) === tail) this.tails.delete(lane);
    });
    return result;
  }

  /** Messages queued or being handled. */
  size(): number {
    return this.queued;
  }

  /** Resolves once every lane is empty (including work queued while waiting). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
