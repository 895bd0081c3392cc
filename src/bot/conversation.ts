/**
 * Multi-step conversations (menus) declared as data: each step asks a question and
 * judges the answer, which repeats the question, moves to another step, or finishes.
 * State lives in the database, so a restart loses nothing; it expires after an idle
 * timeout that every message refreshes. A message's change of state is written with
 * its replies and its handled mark, in one statement (`changeStatement`): a message
 * handled again after a database blip finds the state it was answered from.
 */
import type { Queryable } from '../db/db.js';
import type { BaseContext } from './context.js';
import { deleteCounting } from '../db/delete-counting.js';
import { UserError } from './errors.js';

export type StepOutcome<D> =
  /** Go to `next` (and ask its question), optionally saying something first. */
  | { next: string; data?: D; say?: string }
  /** Bad answer: say why and ask the same question again. */
  | { repeat: string }
  /** The conversation is over; say this. */
  | { done: string };

export interface Step<D> {
  ask(data: D, ctx: BaseContext): string | Promise<string>;
  answer(input: string, data: D, ctx: BaseContext): StepOutcome<D> | Promise<StepOutcome<D>>;
}

export interface Flow<D> {
  /** Unique; stored with the state. */
  name: string;
  first: string;
  steps: Record<string, Step<D>>;
}

export function defineFlow<D>(flow: Flow<D>): Flow<D> {
  return flow;
}

/** Runs a step's `work`; a refusal it throws (`UserError`) asks the same question again, saying why. */
export async function repeatOnRefusal<D>(work: () => Promise<StepOutcome<D>>): Promise<StepOutcome<D>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserError) return { repeat: error.message };
    throw error;
  }
}

export interface ConversationState {
  chatId: string;
  senderId: string;
  flow: string;
  step: string;
  data: unknown;
  expiresAt: Date;
}

/** What a message did to its sender's conversation: written with the message's outcome. */
export type ConversationChange = { save: ConversationState } | { end: { chatId: string; senderId: string } };

interface Row {
  chat_id: string;
  sender_id: string;
  flow: string;
  step: string;
  data: unknown;
  expires_at: Date;
}

const toState = (r: Row): ConversationState => ({
  chatId: r.chat_id,
  senderId: r.sender_id,
  flow: r.flow,
  step: r.step,
  data: r.data,
  expiresAt: r.expires_at,
});

export class ConversationStore {
  constructor(private readonly db: Queryable) {}

  async get(chatId: string, senderId: string): Promise<ConversationState | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM conversation WHERE chat_id = $1 AND sender_id = $2', [
      chatId,
      senderId,
    ]);
    return rows[0] ? toState(rows[0]) : null;
  }

  async save(state: ConversationState): Promise<void> {
    const { sql, params } = ConversationStore.changeStatement({ save: state }, 1);
    await this.db.query(sql, params);
  }

  async delete(chatId: string, senderId: string): Promise<void> {
    const { sql, params } = ConversationStore.changeStatement({ end: { chatId, senderId } }, 1);
    await this.db.query(sql, params);
  }

  /** The statement (parameters from `$first`) that writes `change`; usable as a CTE. */
  static changeStatement(change: ConversationChange, first: number): { sql: string; params: unknown[] } {
    const p = (k: number): string => `$${first + k}`;
    if ('end' in change) {
      return {
        sql: `DELETE FROM conversation WHERE chat_id = ${p(0)} AND sender_id = ${p(1)}`,
        params: [change.end.chatId, change.end.senderId],
      };
    }
    const state = change.save;
    return {
      sql: `INSERT INTO conversation (chat_id, sender_id, flow, step, data, expires_at)
       VALUES (${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}::jsonb, ${p(5)})
       ON CONFLICT (chat_id, sender_id) DO UPDATE
         SET flow = excluded.flow, step = excluded.step, data = excluded.data, expires_at = excluded.expires_at`,
      params: [state.chatId, state.senderId, state.flow, state.step, JSON.stringify(state.data ?? {}), state.expiresAt],
    };
  }

  /** Drops conversations that expired before `before` and were never announced (housekeeping). */
  async pruneExpired(before: Date): Promise<number> {
    return deleteCounting(this.db, 'DELETE FROM conversation WHERE expires_at < $1', [before]);
  }

  /** Removes and returns the conversations idle past their expiry (to announce them). */
  async takeExpired(now: Date): Promise<ConversationState[]> {
    const { rows } = await this.db.query<Row>('DELETE FROM conversation WHERE expires_at <= $1 RETURNING *', [now]);
    return rows.map(toState);
  }
}
