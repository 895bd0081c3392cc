/**
 * Operator and admin sign-in by chat (`login#<username>#<password>`): a dashboard
 * account checked with bcrypt, a session in `operator_session` keyed by the sender,
 * one `login_log` row per success, and a lockout against password guessing: after
 * `maxFailures` failures within `windowMs` for one sender, or for one username from
 * any sender, attempts are refused for `windowMs` from the failure that reached the
 * limit, without looking at the password. Failures live in the database, so the
 * limits hold across processes and restarts. The password itself is never stored,
 * logged or returned.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../db/db.js';
import { deleteCounting } from '../db/delete-counting.js';
import { dummyHash, verifyPassword } from './password.js';
import type { ClientRef } from './sender.js';

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
  | { kind: 'role'; role: string };

interface AccountRow {
  user_id: string;
  username: string;
  password_hash: string;
  role: string;
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
 * How a username is counted for the lockout: lower case (`Budi` and `budi` share one
 * count), hashed (a password typed in the username field is not kept).
 */
const failureName = (username: string): string =>
  createHash('sha256').update(username.trim().toLowerCase()).digest('hex');

export class SignIn {
  private dummy: Promise<string> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly settings: SignInSettings,
    private readonly now: () => Date,
  ) {}

  /** Prepares the hash unknown usernames are compared against, so the first one costs no more than the rest. */
  prepare(): void {
    void this.dummyHash().catch(() => undefined);
  }

  /** Until when sign-ins by this sender or for this username are refused; null when they are not. */
  async lockedUntil(senderKey: string, username: string): Promise<Date | null> {
    const now = this.now().getTime();
    const { windowMs, maxFailures } = this.settings;
    const { rows } = await this.db.query<{ failed_at: Date; by_sender: boolean; by_username: boolean }>(
      `SELECT failed_at, sender_key = $1 AS by_sender, username_key = $2 AS by_username
         FROM login_failure
        WHERE (sender_key = $1 OR username_key = $2) AND failed_at > $3
        ORDER BY failed_at`,
      [senderKey, failureName(username), new Date(now - 2 * windowMs)],
    );
    const times = (pick: (r: (typeof rows)[number]) => boolean): number[] =>
      rows.filter(pick).map((r) => new Date(r.failed_at).getTime());
    const ends = [
      lockoutEnd(times((r) => r.by_sender), maxFailures, windowMs),
      lockoutEnd(times((r) => r.by_username), maxFailures, windowMs),
    ].filter((end): end is number => end !== null && end > now);
    return ends.length > 0 ? new Date(Math.max(...ends)) : null;
  }

  /** Checks the credentials and, when they hold, starts (or replaces) the sender's session. */
  async attempt(senderKey: string, username: string, password: string): Promise<SignInResult> {
    const [locked, account] = await Promise.all([this.lockedUntil(senderKey, username), this.account(username)]);
    if (locked) return { kind: 'locked', until: locked };
    // An unknown username is compared too, so the time taken does not tell it from a wrong password.
    const matched = await verifyPassword(password, account?.password_hash ?? (await this.dummyHash()));
    if (!account || !matched) {
      await this.db.query('INSERT INTO login_failure (sender_key, username_key, failed_at) VALUES ($1, $2, $3)', [
        senderKey,
        failureName(username),
        this.now(),
      ]);
      return { kind: 'wrong', lockedUntil: await this.lockedUntil(senderKey, username) };
    }
    if (!account.status) return { kind: 'disabled' };
    const role = account.role.trim().toLowerCase();
    if (role !== 'admin' && role !== 'operator') return { kind: 'role', role: account.role };
    if (role === 'operator' && !account.client_id) return { kind: 'no-client' };

    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.settings.sessionMs);
    // The session and its login_log row in one statement: both or neither.
    await this.db.query(
      `WITH session AS (
         INSERT INTO operator_session (sender_key, dashboard_user_id, signed_in_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sender_key) DO UPDATE
           SET dashboard_user_id = excluded.dashboard_user_id, signed_in_at = excluded.signed_in_at, expires_at = excluded.expires_at
         RETURNING 1)
       INSERT INTO login_log (actor_id, login_type, login_source, logged_at) VALUES ($2, 'operator', 'whatsapp', $3)`,
      [senderKey, account.user_id, now, expiresAt],
    );
    const client =
      role === 'operator' && account.client_id
        ? { clientId: account.client_id, nama: account.client_nama ?? account.client_id }
        : null;
    return { kind: 'signed-in', session: { username: account.username, role, client, expiresAt } };
  }

  /** Ends the sender's session; false when there was none (or it had expired). */
  async signOut(senderKey: string): Promise<boolean> {
    const { rows } = await this.db.query<{ expires_at: Date }>(
      'DELETE FROM operator_session WHERE sender_key = $1 RETURNING expires_at',
      [senderKey],
    );
    return rows.some((r) => new Date(r.expires_at) > this.now());
  }

  private async account(username: string): Promise<AccountRow | undefined> {
    const { rows } = await this.db.query<AccountRow>(
      `SELECT d.user_id, d.username, d.password_hash, d.role, d.status, d.client_id, c.nama AS client_nama
         FROM dashboard_user d LEFT JOIN clients c ON c.client_id = d.client_id
        WHERE d.username = $1`,
      [username.trim()],
    );
    return rows[0];
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= dummyHash(this.settings.bcryptCost);
    return this.dummy;
  }

  /** Deletes expired sessions and failures older than `failuresBefore`; returns how many rows. */
  static async prune(db: Queryable, now: Date, failuresBefore: Date): Promise<number> {
    const sessions = await deleteCounting(db, 'DELETE FROM operator_session WHERE expires_at <= $1', [now]);
    const failures = await deleteCounting(db, 'DELETE FROM login_failure WHERE failed_at < $1', [failuresBefore]);
    return sessions + failures;
  }
}
