/**
 * Operator and admin sign-in by chat (`login#<username>#<password>`): a dashboard
 * account checked with bcrypt, a session in `operator_session` keyed by the sender,
 * one `login_log` row per success, and a lockout against password guessing: after
 * `maxFailures` failures within `windowMs` for one sender, or for one username from
 * any sender, attempts are refused for `windowMs` from the failure that reached the
 * limit, without looking at the password. Failures live in the database, so the
 * limits hold across processes and restarts. An attempt is recorded as a failure
 * before its password is compared (and the row deleted when it matches), under a lock
 * on the sender and the username, so concurrent attempts (from other numbers, or other
 * processes) cannot all pass the check: at most `maxFailures` are ever compared. The
 * password itself is never stored, logged or returned.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/db.js';
import { deleteCounting } from '../db/delete-counting.js';
import { Lanes } from '../concurrency/lanes.js';
import { BcryptThreadGone } from './bcrypt-thread.js';
import {
  dummyHash,
  hashCostBelow,
  hashPassword,
  MAX_WAITING,
  PasswordQueueFull,
  passwordQueueFull,
  verifyPassword,
} from './password.js';
import type { ClientRef } from './sender.js';

/** The ids a sender is known by: its key, and its phone and LID when known. */
export interface SenderIds {
  key: string;
  phone: string | null;
  lid: string | null;
}

/** Every id a session of this sender may be stored under. */
export const senderIds = (sender: SenderIds): string[] =>
  [...new Set([sender.key, sender.phone, sender.lid].filter((id): id is string => id !== null))];

export interface SignInSettings {
  sessionMs: number;
  maxFailures: number;
  windowMs: number;
  /** Cost of the hash an unknown username is compared against (the cost real hashes are made with). */
  bcryptCost: number;
}

/** Roles that may sign in by chat. */
export type SessionRole = 'admin' | 'operator';

export interface SessionInfo {
  username: string;
  role: SessionRole;
  /** The operator's client; null for an admin. */
  client: ClientRef | null;
  expiresAt: Date;
}

export type SignInResult =
  | { kind: 'signed-in'; session: SessionInfo }
  /** Refused without checking the password. */
  | { kind: 'locked'; until: Date }
  /** Unknown username or wrong password (one answer for both); `lockedUntil` when this failure reached the limit. */
  | { kind: 'wrong'; lockedUntil: Date | null }
  /** The password matched, but the account may not sign in by chat. */
  | { kind: 'disabled' }
  | { kind: 'no-client' }
  | { kind: 'role'; role: string }
  /** The password matched, but the account's password or status changed while it was compared: no session. */
  | { kind: 'changed' }
  /** Too many password checks wait already: refused at once, nothing counted. */
  | { kind: 'busy' };

interface AccountRow {
  user_id: string;
  username: string;
  password_hash: string;
  role: string;
  /** `lower(trim(role))`, computed in SQL exactly as the sender look-up does (src/identity/sender.ts). */
  role_key: string;
  status: boolean;
  client_id: string | null;
  client_nama: string | null;
}

/**
 * When a lockout over these failure times (ms, ascending) ends: `max` failures
 * within `windowMs` lock for `windowMs` from the last of them. Null when none does.
 */
export function lockoutEnd(times: readonly number[], max: number, windowMs: number): number | null {
  let end: number | null = null;
  for (let i = max - 1; i < times.length; i++) {
    if (times[i]! - times[i - max + 1]! < windowMs) end = Math.max(end ?? 0, times[i]! + windowMs);
  }
  return end;
}

/**
 * How a username is counted for the lockout: the first 4 hex digits of the SHA-256 of
 * its lower case (`Budi` and `budi` share one count). People type the password in the
 * username field, and a full unsalted hash of a password is as good as the password
 * against a dictionary; 16 bits keep nothing worth guessing from. Two usernames in one
 * of the 65,536 buckets only share a lockout.
 */
export const failureName = (username: string): string =>
  createHash('sha256').update(username.trim().toLowerCase()).digest('hex').slice(0, 4);

/** Advisory-lock class ids (the two-key form) for sign-in attempts, per sender and per username. */
const SENDER_LOCK = 7_311;
const USERNAME_LOCK = 7_312;
/**
 * An attempt pending this long was cut short (its process died) and counts as a
 * failure. Generous: under full chat load a compare waits, at the lowest priority, for
 * up to 16 before it.
 */
const PENDING_MS = 10 * 60_000;

export class SignIn {
  private dummy: Promise<string> | undefined;
  /**
   * Attempts for one username (bucket) run one at a time in this process, so they never
   * see each other pending: eight correct sign-ins to one account at once all succeed.
   */
  private readonly lanes = new Lanes();

  constructor(
    private readonly db: Db,
    private readonly settings: SignInSettings,
    private readonly now: () => Date,
  ) {}

  /** Sign-in attempts in this process, being checked or waiting for their username's turn. */
  inFlight(): number {
    return this.lanes.size();
  }

  /** Prepares the hash unknown usernames are compared against, so the first one costs no more than the rest. */
  prepare(): void {
    void this.dummyHash().catch(() => undefined);
  }

  /** Until when sign-ins by this sender or for this username are refused; null when they are not. */
  async lockedUntil(senderKey: string, username: string): Promise<Date | null> {
    return this.lockEnd(this.db, senderKey, failureName(username));
  }

  private async lockEnd(db: Queryable, senderKey: string, nameKey: string): Promise<Date | null> {
    return (await this.lockState(db, senderKey, nameKey)).locked;
  }

  /**
   * `locked`: until when the failures lock the sender or the username out. `crowded`:
   * whether the failures with the attempts still being compared (in other processes)
   * reach the limit, so one more must not be compared yet.
   */
  private async lockState(db: Queryable, senderKey: string, nameKey: string): Promise<{ locked: Date | null; crowded: boolean }> {
    const now = this.now().getTime();
    const { windowMs, maxFailures } = this.settings;
    const { rows } = await db.query<{ failed_at: Date; pending: boolean; by_sender: boolean; by_username: boolean }>(
      `SELECT failed_at, pending, sender_key = $1 AS by_sender, username_key = $2 AS by_username
         FROM login_failure
        WHERE (sender_key = $1 OR username_key = $2) AND failed_at > $3
        ORDER BY failed_at`,
      [senderKey, nameKey, new Date(now - 2 * windowMs)],
    );
    // An attempt still pending after this long was cut short (its process died): a failure.
    const failed = (r: (typeof rows)[number]): boolean => !r.pending || new Date(r.failed_at).getTime() < now - PENDING_MS;
    const end = (pick: (r: (typeof rows)[number]) => boolean): number | null => {
      const ends = [
        lockoutEnd(rows.filter((r) => pick(r) && r.by_sender).map((r) => new Date(r.failed_at).getTime()), maxFailures, windowMs),
        lockoutEnd(rows.filter((r) => pick(r) && r.by_username).map((r) => new Date(r.failed_at).getTime()), maxFailures, windowMs),
      ].filter((e): e is number => e !== null && e > now);
      return ends.length > 0 ? Math.max(...ends) : null;
    };
    const locked = end(failed);
    return { locked: locked === null ? null : new Date(locked), crowded: end(() => true) !== null };
  }

  /**
   * Records the attempt as pending before its password is compared, unless the sender
   * or the username is locked out already. Under transaction-scoped advisory locks on
   * the sender and the username (always in that order, so two attempts never wait on
   * each other crosswise), so a concurrent attempt, in this process or another, sees
   * this one's row: however many arrive together, at most `maxFailures` are compared
   * within a window. The same message handled again (a retry after a database blip)
   * reuses its row, counting once.
   */
  private reserve(
    senderKey: string,
    nameKey: string,
    messageId: string,
  ): Promise<{ locked: Date } | { busy: true } | { failed: true } | { id: number }> {
    return this.db.tx(async (t) => {
      await t.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SENDER_LOCK, senderKey]);
      await t.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [USERNAME_LOCK, nameKey]);
      // The same message again (a retry after a database blip): an attempt that failed
      // fails again without a compare; one cut short before its compare ended resumes.
      // Only for the same sender and username: a message id is not a credential.
      const { rows: earlier } = await t.query<{ id: number; pending: boolean; same: boolean }>(
        'SELECT id, pending, sender_key = $2 AND username_key = $3 AS same FROM login_failure WHERE message_id = $1',
        [messageId, senderKey, nameKey],
      );
      const again = earlier[0]?.same ? earlier[0] : undefined;
      if (again && !again.pending) return { failed: true as const };
      if (again) {
        await t.query('UPDATE login_failure SET failed_at = $2 WHERE id = $1', [again.id, this.now()]);
        return { id: Number(again.id) };
      }
      const { locked, crowded } = await this.lockState(t, senderKey, nameKey);
      if (locked) return { locked };
      if (crowded) return { busy: true as const };
      const { rows } = await t.query<{ id: number }>(
        `INSERT INTO login_failure (sender_key, username_key, failed_at, message_id, pending)
         VALUES ($1, $2, $3, $4, true) RETURNING id`,
        // A message id another attempt has already (not a retry of it) is not kept twice.
        [senderKey, nameKey, this.now(), earlier[0] ? null : messageId],
      );
      return { id: Number(rows[0]!.id) };
    });
  }

  private async unrecord(id: number): Promise<void> {
    await this.db.query('DELETE FROM login_failure WHERE id = $1', [id]);
  }

  private async fail(id: number): Promise<void> {
    await this.db.query('UPDATE login_failure SET pending = false WHERE id = $1', [id]);
  }

  /**
   * Checks the credentials and, when they hold, starts (or replaces) the sender's
   * session, ending any it has under its other ids (phone, LID, LIDs recorded for its phone).
   */
  async attempt(sender: SenderIds, username: string, password: string, messageId: string): Promise<SignInResult> {
    // Refused before anything is recorded when the compare would be refused anyway.
    if (passwordQueueFull() || this.lanes.size() >= MAX_WAITING) return { kind: 'busy' };
    const nameKey = failureName(username);
    return this.lanes.run(nameKey, () => this.check(sender, username, nameKey, password, messageId));
  }

  private async check(sender: SenderIds, username: string, nameKey: string, password: string, messageId: string): Promise<SignInResult> {
    const [reserved, account] = await Promise.all([this.reserve(sender.key, nameKey, messageId), this.account(username)]);
    if ('locked' in reserved) return { kind: 'locked', until: reserved.locked };
    // Another process is comparing attempts that may reach the limit: not one more now.
    if ('busy' in reserved) return { kind: 'busy' };
    if ('failed' in reserved) return { kind: 'wrong', lockedUntil: await this.lockEnd(this.db, sender.key, nameKey) };
    let matched: boolean;
    try {
      // An unknown username is compared too (against a hash of the configured cost).
      matched = await verifyPassword(password, account?.password_hash ?? (await this.dummyHash()));
    } catch (error) {
      // A full queue, or a bcrypt thread that died: nothing was compared, nothing counts.
      if (!(error instanceof PasswordQueueFull || error instanceof BcryptThreadGone)) throw error;
      await this.unrecord(reserved.id);
      return { kind: 'busy' };
    }
    if (!account || !matched) {
      await this.fail(reserved.id);
      return { kind: 'wrong', lockedUntil: await this.lockEnd(this.db, sender.key, nameKey) };
    }
    await this.unrecord(reserved.id);
    if (!account.status) return { kind: 'disabled' };
    const role = account.role_key;
    if (role !== 'admin' && role !== 'operator') return { kind: 'role', role: account.role };
    if (role === 'operator' && !account.client_id) return { kind: 'no-client' };

    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.settings.sessionMs);
    // One statement: the session and its login_log row, both or neither (no second row
    // when this message is handled again after a blip), and only while
    // the account still has the hash just compared and is active (a `dashboard-user
    // passwd` or `disable` during the compare wins; FOR SHARE makes one wait for the
    // other). The sender's sessions under its other ids end with it.
    const { rows } = await this.db.query(
      `WITH account AS (
         SELECT user_id FROM dashboard_user WHERE user_id = $2 AND password_hash = $5 AND status FOR SHARE),
       others AS (
         DELETE FROM operator_session
          WHERE (sender_key = ANY($6) OR sender_key IN (SELECT lid FROM wa_lid_map WHERE phone = ANY($6)))
            AND sender_key <> $1 AND EXISTS (SELECT 1 FROM account)),
       session AS (
         INSERT INTO operator_session (sender_key, dashboard_user_id, signed_in_at, expires_at)
         SELECT $1, user_id, $3, $4 FROM account
         ON CONFLICT (sender_key) DO UPDATE
           SET dashboard_user_id = excluded.dashboard_user_id, signed_in_at = excluded.signed_in_at, expires_at = excluded.expires_at
         RETURNING dashboard_user_id),
       first AS (
         INSERT INTO login_message (message_id, logged_at) SELECT $7, $3 FROM session
         ON CONFLICT (message_id) DO NOTHING
         RETURNING message_id),
       logged AS (
         INSERT INTO login_log (actor_id, login_type, login_source, logged_at)
         SELECT dashboard_user_id, 'operator', 'whatsapp', $3 FROM session WHERE EXISTS (SELECT 1 FROM first))
       SELECT 1 FROM session`,
      [sender.key, account.user_id, now, expiresAt, account.password_hash, senderIds(sender), messageId],
    );
    if (rows.length === 0) return { kind: 'changed' };
    await this.upgrade(account, password);
    const client =
      role === 'operator' && account.client_id
        ? { clientId: account.client_id, nama: account.client_nama ?? account.client_id }
        : null;
    return { kind: 'signed-in', session: { username: account.username, role, client, expiresAt } };
  }

  /**
   * Rehashes a password whose hash has a lower cost than the configured one (made
   * before the cost was raised), so the account's sign-ins take as long as an unknown
   * username's. Only while the hash is still the one compared. Best effort: when the
   * queue is full or the write fails, the next sign-in tries again.
   */
  private async upgrade(account: AccountRow, password: string): Promise<void> {
    if (!hashCostBelow(account.password_hash, this.settings.bcryptCost)) return;
    try {
      const hash = await hashPassword(password, this.settings.bcryptCost);
      await this.db.query(
        'UPDATE dashboard_user SET password_hash = $3, updated_at = now() WHERE user_id = $1 AND password_hash = $2',
        [account.user_id, account.password_hash, hash],
      );
    } catch {
      // The session stands; the old hash still works.
    }
  }

  /**
   * Ends the sender's sessions under every id it has (its phone, its LID, and the LIDs
   * recorded for its phone); false when there was none (or only expired ones).
   */
  async signOut(sender: SenderIds): Promise<boolean> {
    const { rows } = await this.db.query<{ expires_at: Date }>(
      `DELETE FROM operator_session
        WHERE sender_key = ANY($1) OR sender_key IN (SELECT lid FROM wa_lid_map WHERE phone = ANY($1))
       RETURNING expires_at`,
      [senderIds(sender)],
    );
    return rows.some((r) => new Date(r.expires_at) > this.now());
  }

  private async account(username: string): Promise<AccountRow | undefined> {
    const { rows } = await this.db.query<AccountRow>(
      `SELECT d.user_id, d.username, d.password_hash, d.role, lower(trim(d.role)) AS role_key, d.status, d.client_id, c.nama AS client_nama
         FROM dashboard_user d LEFT JOIN clients c ON c.client_id = d.client_id
        WHERE d.username = $1`,
      [username.trim()],
    );
    return rows[0];
  }

  private dummyHash(): Promise<string> {
    if (!this.dummy) {
      const made = dummyHash(this.settings.bcryptCost);
      this.dummy = made;
      // A failure (a full queue) is not kept: the next unknown username makes it again.
      made.catch(() => {
        if (this.dummy === made) this.dummy = undefined;
      });
    }
    return this.dummy;
  }

  /** Deletes expired sessions, and failures and login message ids older than `failuresBefore`; returns how many rows. */
  static async prune(db: Queryable, now: Date, failuresBefore: Date): Promise<number> {
    const sessions = await deleteCounting(db, 'DELETE FROM operator_session WHERE expires_at <= $1', [now]);
    const failures = await deleteCounting(db, 'DELETE FROM login_failure WHERE failed_at < $1', [failuresBefore]);
    const logins = await deleteCounting(db, 'DELETE FROM login_message WHERE logged_at < $1', [failuresBefore]);
    return sessions + failures + logins;
  }
}
