/** What `status` reports about the running bot. */
import type { OutboxStats } from '../outbox/store.js';
import type { PauseState } from '../outbox/kill-switch.js';
import type { ConnectionState } from '../transport/transport.js';

export interface RuntimeStatus {
  startedAt: Date;
  lastMessageAt: Date | null;
  transport(): { name: string; state: ConnectionState };
  outbox(): Promise<OutboxStats>;
  paused(): PauseState | null;
}
