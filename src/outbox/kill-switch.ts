/**
 * The outbox pause: tripped on signs that WhatsApp is restricting the number
 * (logout, a new QR after linking, a blocked state, send error 463), cleared only
 * by an admin (`outbox#resume`). Stored in the database so a restart stays paused.
 */
import type { Queryable } from '../db/db.js';
import type { Logger } from '../log.js';
import type { RestrictionSignal } from '../transport/transport.js';

/**
 * Why sending paused, as data: the bot's texts word it for admins. A pause stored
 * before causes were recorded as data keeps its text.
 */
export type PauseCause =
  | RestrictionSignal
  | { kind: 'send-refused'; chatId: string; error: string }
  | { kind: 'recorded'; text: string };

export interface PauseState {
  cause: PauseCause;
  since: Date;
}

interface Stored {
  cause?: PauseCause;
  reason?: string;
  since: string;
}

const KEY = 'outbox_pause';

export class KillSwitch {
  private state: PauseState | null = null;
  private readonly alertHandlers: Array<(state: PauseState) => Promise<void>> = [];
  private readonly clearHandlers: Array<() => void> = [];

  constructor(
    private readonly db: Queryable,
    private readonly log: Logger,
  ) {}

  /** Called once per trip, for alerts by every channel that still works. */
  onTrip(handler: (state: PauseState) => Promise<void>): void {
    this.alertHandlers.push(handler);
  }

  /** Called when a pause ends: resumed here, or seen resumed by another process at a refresh. */
  onClear(handler: () => void): void {
    this.clearHandlers.push(handler);
  }

  private cleared(): void {
    for (const handler of this.clearHandlers) handler();
  }

  paused(): PauseState | null {
    return this.state;
  }

  /** Reloads the state (another process may have paused or resumed). */
  async refresh(): Promise<PauseState | null> {
    const { rows } = await this.db.query<{ value: Stored }>('SELECT value FROM bot_state WHERE key = $1', [KEY]);
    const value = rows[0]?.value;
    const was = this.state;
    this.state = value
      ? { cause: value.cause ?? { kind: 'recorded', text: value.reason ?? '' }, since: new Date(value.since) }
      : null;
    if (was && !this.state) this.cleared();
    return this.state;
  }

  /**
   * Pauses: stored first, so a restart right after a trip is still paused; then held
   * in memory and alerted once. When another process (or an earlier call) stored a
   * pause first, that one stands and this call only reads it.
   */
  async trip(cause: PauseCause, now: Date): Promise<void> {
    if (this.state) return;
    const { rows } = await this.db.query(
      `INSERT INTO bot_state (key, value, updated_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (key) DO NOTHING RETURNING 1`,
      [KEY, JSON.stringify({ cause, since: now.toISOString() } satisfies Stored), now],
    );
    if (rows.length === 0) {
      await this.refresh();
      return;
    }
    const state = { cause, since: now };
    this.state = state;
    this.log.error({ cause }, 'outbox paused: WhatsApp may be restricting this number; an admin resumes with outbox#resume');
    for (const handler of this.alertHandlers) {
      await handler(state).catch((error) => this.log.error({ err: error }, 'could not alert about the outbox pause'));
    }
  }

  async resume(): Promise<PauseState | null> {
    const previous = this.state;
    const stored = await this.refresh();
    await this.db.query('DELETE FROM bot_state WHERE key = $1', [KEY]);
    this.state = null;
    // Even when nothing was stored: a connection that stopped on a blocking state waits for this.
    this.cleared();
    const resumed = stored ?? previous;
    if (resumed) this.log.warn({ cause: resumed.cause }, 'outbox resumed by an admin');
    return resumed;
  }
}
