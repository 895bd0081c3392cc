/** What `status` reports about the running bot. */
import type { ConnectionState } from '../transport/transport.js';

export interface RuntimeStatus {
  startedAt: Date;
  lastMessageAt: Date | null;
  transport(): { name: string; state: ConnectionState };
  /** Messages waiting to be sent. */
  queueDepth(): number;
}
