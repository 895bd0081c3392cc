/**
 * Room for the bot's heap between major collections.
 *
 * V8 sets the next major collection's threshold from how fast it collects against how fast
 * the program allocates. A bot allocates in bursts (a province report, then quiet chat), so
 * V8 judges its collections cheap and leaves it about 8 MB above what is live: each province
 * report, whose file is read back for sending, then starts one or two major collections, and
 * their marking steps on the bot's thread are what other senders wait on (bench/report-handler.ts:
 * 1.6-1.9 collections per report, other senders' p99 2.6-3.2× idle). Letting the heap grow to
 * twice what is live before the next one brings that to one collection in four reports and the
 * p99 within 2× idle in four runs of five (docs/compliance.md), for some 50 MB more memory at
 * most on a province-sized bot.
 */
import { setFlagsFromString } from 'node:v8';

/** Growth allowed before the next major collection, as a percentage of what the last one left live. */
export const HEAP_GROWING_PERCENT = 100;

/**
 * Applies {@link HEAP_GROWING_PERCENT} to this process. V8 reads the setting each time it
 * sets a threshold, so calling this at start (before the bot's first report) is enough.
 */
export function giveHeapRoom(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
