/** Faults queued by tests, consumed in the order they were queued. */
import type { FakeFault } from './types.js';

export class Faults {
  private readonly queue: Array<FakeFault & { left: number }> = [];

  add(fault: FakeFault): void {
    this.queue.push({ ...fault, left: fault.times ?? 1 });
  }

  /** The first queued fault for this request, counted as used; undefined if none matches. */
  take(path: string, query: Record<string, string>): FakeFault | undefined {
    const index = this.queue.findIndex(
      (f) => f.path === path && Object.entries(f.query ?? {}).every(([k, v]) => query[k] === v),
    );
    if (index < 0) return undefined;
    const fault = this.queue[index]!;
    if (--fault.left <= 0) this.queue.splice(index, 1);
    return fault;
  }
}
