/**
 * Remembers message ids so a message WhatsApp delivers twice is handled once.
 * Bounded in time and size.
 */
export class SeenMessages {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly maxEntries = 100_000,
  ) {}

  /** True when the id was seen before (within the TTL); records it otherwise. */
  checkAndAdd(id: string, now: number): boolean {
    const at = this.seen.get(id);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.seen.set(id, now);
    if (this.seen.size > this.maxEntries) {
      // Map keeps insertion order: the first entries are the oldest.
      for (const key of this.seen.keys()) {
        this.seen.delete(key);
        if (this.seen.size <= this.maxEntries) break;
      }
    }
    return false;
  }
}
