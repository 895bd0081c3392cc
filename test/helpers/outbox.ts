/** An outbox over a memory transport, with a controllable clock and failures. */
import type { Db } from '../../src/db/db.js';
import type { Presence } from '../../src/db/presence.js';
import { KillSwitch } from '../../src/outbox/kill-switch.js';
import { DEFAULT_SETTINGS, NO_PACING, Outbox, type OutboxSettings } from '../../src/outbox/outbox.js';
import { MemoryTransport } from '../../src/transport/memory.js';
import { silentLog } from './bot.js';

export interface TestOutbox {
  outbox: Outbox;
  transport: MemoryTransport;
  killSwitch: KillSwitch;
  clock: { now: Date };
  advance(ms: number): void;
}

export async function createTestOutbox(
  db: Db,
  settings: Partial<OutboxSettings> = {},
  transport = new MemoryTransport(),
  presence?: Presence,
): Promise<TestOutbox> {
  const clock = { now: new Date('2026-11-25T03:00:00Z') };
  const killSwitch = new KillSwitch(db, silentLog);
  await killSwitch.refresh();
  const outbox = new Outbox(
    db,
    transport,
    killSwitch,
    silentLog,
    { ...DEFAULT_SETTINGS, pacing: NO_PACING, ...settings },
    () => clock.now,
    presence,
  );
  await transport.start();
  return {
    outbox,
    transport,
    killSwitch,
    clock,
    advance: (ms) => {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
}
