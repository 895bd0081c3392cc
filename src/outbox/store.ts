/** The outbox table: enqueue, claim, settle, report. All SQL of the outbox lives here. */
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Db, Queryable } from '../db/db.js';
import { deleteCounting } from '../db/delete-counting.js';
import { workerAlive } from '../db/presence.js';

export type Origin = 'reply' | 'broadcast';

export interface OutboxRow {
  id: number;
  message_key: string;
  part: number;
  parts: number;
  endpoint: string;
  chat_id: string;
  origin: Origin;
  body: string | null;
  document: Uint8Array | null;
  document_name: string | null;
  document_mime: string | null;
  /** Set when the file is stored in pieces (then `document` holds them joined, or null if they are gone). */
  document_file: string | null;
  status: 'pending' | 'sending' | 'sent' | 'dead';
  attempts: number;
  last_error: string | null;
  created_at: Date;
}

export interface NewRow {
  messageKey: string;
  part: number;
  parts: number;
  endpoint: string;
  chatId: string;
  origin: Origin;
  body: string | null;
  /** The file: its bytes, or the id of pieces already stored with {@link OutboxStore.stageFiles}. */
  document?: ({ data: Buffer } | { file: string }) & { name: string; mime: string };
}

/**
 * Files larger than this are stored in pieces of this size (see migration 021), one
 * statement each. A multiple of 3 bytes, so the pieces' base64 joins into the file's.
 */
export const FILE_PIECE_BYTES = 96 * 1024;

export interface OutboxStats {
  depth: number;
  oldestPendingS: number | null;
  deadLetters: number;
}

export interface ClaimOptions {
  endpoint: string;
  worker: string;
  now: Date;
  /** Broadcasts may go (the hourly budget has room and the gap since the last broadcast is over). */
  broadcasts: boolean;
  /**
   * A broadcast message already under way: its further parts may go even when `broadcasts`
   * is false (the caller passes it only while the hourly budget has room).
   */
  continuing?: string | null;
  /** Chats still within their pacing gap: skip them this time. */
  coolingChats: string[];
  /** Only these chats (while paused: the admins, so they can still inspect and resume). */
  onlyChats?: string[];
  /** Rows to take at once; each is the oldest open row of its chat, so they are of different chats. */
  limit?: number;
}

/**
 * An OutboxRow's columns, the file as base64 text (see {@link withDocumentBytes}): PGlite
 * reads a 2 MB bytea out in a quarter of a second of the bot's thread, the text in 20 ms.
 * A file in pieces is joined in piece order (each piece a whole number of base64 groups).
 */
const ROW_COLUMNS = `outbox.id, outbox.message_key, outbox.part, outbox.parts, outbox.endpoint, outbox.chat_id, outbox.origin,
         outbox.body,
         COALESCE(encode(outbox.document, 'base64'),
                  (SELECT string_agg(encode(f.data, 'base64'), '' ORDER BY f.seq) FROM outbox_file f
                    WHERE f.file_id = outbox.document_file)) AS document,
         outbox.document_name, outbox.document_mime, outbox.document_file::text,
         outbox.status, outbox.attempts, outbox.last_error, outbox.created_at`;

/** A row read with {@link ROW_COLUMNS}, its file back to bytes (the database's base64 has line breaks, which Buffer skips). */
function withDocumentBytes(row: Omit<OutboxRow, 'document'> & { document: string | Uint8Array | null }): OutboxRow {
  return typeof row.document === 'string' ? { ...row, document: Buffer.from(row.document, 'base64') } : (row as OutboxRow);
}

export class OutboxStore {
  /** `kind` when it is a whole database (a transaction's handle has none: files then go as base64, which suits both). */
  constructor(private readonly db: Queryable & { readonly kind?: Db['kind'] }) {}

  /**
   * The INSERT of `rows` with parameters numbered from `first`, created at the
   * parameter `createdAt` (e.g. `$1`); a row whose (message_key, part) exists is left
   * alone. For callers that write the rows inside a statement of their own.
   */
  static insertStatement(rows: readonly NewRow[], first: number, createdAt: string): { sql: string; params: unknown[] } {
    const WIDTH = 11;
    // Files go as base64 text, decoded by the database: PGlite takes a 2 MB Buffer
    // parameter in over a second, the same bytes as text in well under a tenth of that.
    const DOCUMENT = 7;
    const values = rows.map((_, i) => {
      const at = first + i * WIDTH;
      const p = Array.from({ length: WIDTH }, (_, k) => `$${at + k}`);
      p[DOCUMENT] = `decode(${p[DOCUMENT]}, 'base64')`;
      return `(${p.join(', ')}, ${createdAt}, ${createdAt})`;
    });
    const params = rows.flatMap((r) => [
      r.messageKey,
      r.part,
      r.parts,
      r.endpoint,
      r.chatId,
      r.origin,
      r.body,
      r.document && 'data' in r.document ? base64(r.document.data) : null,
      r.document?.name ?? null,
      r.document?.mime ?? null,
      r.document && 'file' in r.document ? r.document.file : null,
    ]);
    const sql = `INSERT INTO outbox (message_key, part, parts, endpoint, chat_id, origin, body, document, document_name, document_mime,
                         document_file, created_at, next_attempt_at)
       VALUES ${values.join(',\n              ')}
       ON CONFLICT (message_key, part) DO NOTHING`;
    return { sql, params };
  }

  /**
   * Stores each file of `rows` larger than {@link FILE_PIECE_BYTES} in pieces, one
   * statement per piece, and returns the rows referring to them instead. Not in a
   * transaction with the rows: pieces whose rows never come are pruned after a day.
   */
  async stageFiles(rows: readonly NewRow[], now: Date): Promise<NewRow[]> {
    const staged: NewRow[] = [];
    // A scheduled recap gives every recipient the same file: stored once, their rows share it.
    const stored = new Map<Buffer, string>();
    for (const row of rows) {
      const d = row.document;
      if (!d || !('data' in d) || d.data.byteLength <= FILE_PIECE_BYTES) {
        staged.push(row);
        continue;
      }
      let file = stored.get(d.data);
      if (!file) {
        file = await this.storeFile(d.data, now);
        stored.set(d.data, file);
      }
      staged.push({ ...row, document: { file, name: d.name, mime: d.mime } });
    }
    return staged;
  }

  /**
   * Writes `data` to `outbox_file` in pieces under a new id, one statement each; returns the id.
   * PostgreSQL takes each piece as binary (`pg` sends a Buffer as it is): half the time of
   * base64 text, 16-17 against 25-33 ms for a province workbook. Anything else (PGlite, which
   * turns a Buffer into hex a byte at a time) gets base64, decoded by the database.
   */
  private async storeFile(data: Buffer, now: Date): Promise<string> {
    const file = randomUUID();
    const binary = this.db.kind === 'postgres';
    const sql = `INSERT INTO outbox_file (file_id, seq, data, created_at) VALUES ($1, $2, ${binary ? '$3' : "decode($3, 'base64')"}, $4)`;
    for (let seq = 0, at = 0; at < data.byteLength; seq++, at += FILE_PIECE_BYTES) {
      // PGlite answers without ever yielding to the event loop: without this turn the pieces
      // would hold the thread as long as one statement of the whole file did.
      if (seq > 0) await yieldToLoop();
      const piece = data.subarray(at, at + FILE_PIECE_BYTES);
      await this.db.query(sql, [file, seq, binary ? piece : base64(piece), now]);
    }
    return file;
  }

  /** Inserts the rows (all parts of a message; a large file first in pieces). Returns how many were new. */
  async insert(rows: NewRow[], now: Date): Promise<number> {
    if (rows.length === 0) return 0;
    const { sql, params } = OutboxStore.insertStatement(await this.stageFiles(rows, now), 2, '$1');
    const { rows: inserted } = await this.db.query(`${sql} RETURNING id`, [now, ...params]);
    return inserted.length;
  }

  /**
   * Takes up to `limit` due rows of this endpoint (in id order) whose chat has nothing
   * older still open, so a chat's messages keep their order across workers. SKIP
   * LOCKED lets several workers claim side by side without waiting on each other.
   */
  async claimMany(o: ClaimOptions): Promise<OutboxRow[]> {
    const { rows } = await this.db.query<OutboxRow>(
      `WITH next AS (
         SELECT o.id FROM outbox o
          WHERE o.endpoint = $1 AND o.status = 'pending' AND o.next_attempt_at <= $2
            AND ($3 OR o.origin = 'reply' OR (o.origin = 'broadcast' AND o.message_key = $8::text))
            AND o.chat_id <> ALL ($4::text[])
            AND ($6::text[] IS NULL OR o.chat_id = ANY ($6::text[]))
            AND NOT EXISTS (
              SELECT 1 FROM outbox p
               WHERE p.endpoint = o.endpoint AND p.chat_id = o.chat_id AND p.origin = o.origin
                 AND p.id < o.id AND p.status IN ('pending', 'sending'))
          ORDER BY o.id
          LIMIT $7
          FOR UPDATE SKIP LOCKED)
       UPDATE outbox SET status = 'sending', claimed_by = $5, claimed_at = $2, attempts = attempts + 1
         FROM next WHERE outbox.id = next.id
       RETURNING ${ROW_COLUMNS}`,
      [o.endpoint, o.now, o.broadcasts, o.coolingChats, o.worker, o.onlyChats ?? null, o.limit ?? 1, o.continuing ?? null],
    );
    return rows.map(withDocumentBytes).sort((a, b) => a.id - b.id);
  }

  async markSent(id: number, worker: string, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET status = 'sent', sent_at = $2, claimed_by = NULL, last_error = NULL
        WHERE id = $1 AND claimed_by = $3`,
      [id, now, worker],
    );
  }

  /** Back to pending for another try at `retryAt`, or dead when `retryAt` is null. */
  async markFailed(id: number, worker: string, error: string, retryAt: Date | null): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET status = CASE WHEN $4::timestamptz IS NULL THEN 'dead' ELSE 'pending' END,
              next_attempt_at = COALESCE($4::timestamptz, next_attempt_at), claimed_by = NULL, last_error = $3
        WHERE id = $1 AND claimed_by = $2`,
      [id, worker, error.slice(0, 500), retryAt],
    );
  }

  /** Gives back a row without counting the attempt (shutdown, pause). */
  async release(id: number, worker: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET status = 'pending', claimed_by = NULL, attempts = greatest(attempts - 1, 0)
        WHERE id = $1 AND claimed_by = $2 AND status = 'sending'`,
      [id, worker],
    );
  }

  /** Releases claims older than `before`: their worker died mid-send. Returns the ids. */
  async releaseStale(before: Date): Promise<number[]> {
    const { rows } = await this.db.query<{ id: number }>(
      `UPDATE outbox SET status = 'pending', claimed_by = NULL, last_error = 'claim expired (worker died?)'
        WHERE status = 'sending' AND claimed_at < $1 RETURNING id`,
      [before],
    );
    return rows.map((r) => r.id);
  }

  /** Broadcast rows sent since `since` (the hourly budget). */
  async broadcastsSentSince(endpoint: string, since: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox
        WHERE endpoint = $1 AND origin = 'broadcast' AND status = 'sent' AND sent_at >= $2`,
      [endpoint, since],
    );
    return rows[0]?.n ?? 0;
  }

  async stats(endpoint: string, now: Date): Promise<OutboxStats> {
    const { rows } = await this.db.query<{ depth: number; oldest: Date | null; dead: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS depth,
              min(created_at) FILTER (WHERE status IN ('pending', 'sending')) AS oldest,
              count(*) FILTER (WHERE status = 'dead')::int AS dead
         FROM outbox WHERE endpoint = $1 AND status <> 'sent'`,
      [endpoint],
    );
    const r = rows[0]!;
    return {
      depth: r.depth,
      oldestPendingS: r.oldest ? Math.max(0, Math.round((now.getTime() - r.oldest.getTime()) / 1000)) : null,
      deadLetters: r.dead,
    };
  }

  async deadLetters(endpoint: string, limit: number): Promise<OutboxRow[]> {
    const { rows } = await this.db.query<OutboxRow>(
      `SELECT id, message_key, part, parts, endpoint, chat_id, origin, left(body, 80) AS body, NULL AS document,
              document_name, document_mime, document_file::text, status, attempts, last_error, created_at
         FROM outbox WHERE endpoint = $1 AND status = 'dead' ORDER BY id DESC LIMIT $2`,
      [endpoint, limit],
    );
    return rows;
  }

  /** Puts a dead letter back in the queue; false when there is no such dead letter. */
  async retryDead(id: number, now: Date): Promise<boolean> {
    const { rows } = await this.db.query(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, last_error = NULL
        WHERE id = $1 AND status = 'dead' RETURNING id`,
      [id, now],
    );
    return rows.length > 0;
  }

  /**
   * Takes or keeps the send lease of `endpoint` for `worker`: true when `worker` holds it
   * (it did, nobody did, or the holder's heartbeat is older than `staleS` seconds).
   */
  async takeLease(endpoint: string, worker: string, staleS: number): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO outbox_lease (endpoint, worker) VALUES ($1, $2)
       ON CONFLICT (endpoint) DO UPDATE SET worker = excluded.worker,
              since = CASE WHEN outbox_lease.worker = excluded.worker THEN outbox_lease.since ELSE now() END
        WHERE outbox_lease.worker = excluded.worker OR NOT ${workerAlive('outbox_lease.worker', '$3')}
       RETURNING 1`,
      [endpoint, worker, staleS],
    );
    return rows.length > 0;
  }

  async releaseLease(endpoint: string, worker: string): Promise<void> {
    await this.db.query('DELETE FROM outbox_lease WHERE endpoint = $1 AND worker = $2', [endpoint, worker]);
  }

  /** The latest send per chat and origin since `since`: what a new lease holder paces against. */
  async recentSends(endpoint: string, since: Date): Promise<Array<Pick<OutboxRow, 'chat_id' | 'origin'> & { sent_at: Date }>> {
    const { rows } = await this.db.query<Pick<OutboxRow, 'chat_id' | 'origin'> & { sent_at: Date }>(
      `SELECT chat_id, origin, max(sent_at) AS sent_at FROM outbox
        WHERE endpoint = $1 AND status = 'sent' AND sent_at >= $2 GROUP BY chat_id, origin`,
      [endpoint, since],
    );
    return rows;
  }

  /** Moves every row of `from` not being sent right now to `to`; returns how many. */
  async moveEndpoint(from: string, to: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `WITH moved AS (UPDATE outbox SET endpoint = $2 WHERE endpoint = $1 AND status <> 'sending' RETURNING 1)
       SELECT count(*)::int AS n FROM moved`,
      [from, to],
    );
    return rows[0]?.n ?? 0;
  }

  /** Deletes sent rows older than `sentBefore` and dead rows older than `deadBefore`. */
  async prune(sentBefore: Date, deadBefore: Date): Promise<number> {
    return deleteCounting(
      this.db,
      `DELETE FROM outbox WHERE (status = 'sent' AND sent_at < $1) OR (status = 'dead' AND created_at < $2)`,
      [sentBefore, deadBefore],
    );
  }

  /**
   * Deletes file pieces stored before `before` that no row refers to: those of pruned rows,
   * and those of a build whose rows never came (it died, or another process finished first).
   * Returns how many files.
   */
  async pruneFiles(before: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM outbox_file f
          WHERE f.created_at < $1 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.document_file = f.file_id)
         RETURNING f.file_id)
       SELECT count(DISTINCT file_id)::int AS n FROM gone`,
      [before],
    );
    return rows[0]?.n ?? 0;
  }
}

/** A Buffer's bytes as base64, without copying them first. */
function base64(data: Buffer): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}
