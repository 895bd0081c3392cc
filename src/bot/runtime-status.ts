/** What `status` reports about the running bot, beside the outbox's own figures. */
import type { ConnectionState } from '../transport/transport.js';

export interface RuntimeStatus {
  startedAt: Date;
  lastMessageAt: Date | null;
  transport(): { name: string; state: ConnectionState };
}
