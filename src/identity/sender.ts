/**
 * Who sent a message, and with which role. Roles, strongest first: admin
 * (ADMIN_WHATSAPP), a signed-in session (`login#…`: admin, or operator of the
 * account's client), operator (the number in a client's `client_operator`), member
 * (a user row whose `whatsapp` is the sender), unknown. A member who signs in keeps
 * `member`. A LID sender is recognised through the LID↔phone pairs
 * recorded whenever WhatsApp reveals them; WhatsApp is asked only about a LID those
 * records do not know, and a LID it could not pair is not asked about again for an hour.
 */
import type { Queryable } from '../db/db.js';
import type { SessionInfo, SessionRole } from './sign-in.js';
import { canonicalLid, canonicalPhone, type WaIdentity } from './wa-id.js';

export type Role = 'admin' | 'operator' | 'member' | 'unknown';

export interface MemberRecord {
  userId: string;
  nama: string | null;
  title: string | null;
  clientId: string | null;
  active: boolean;
}

export interface ClientRef {
  clientId: string;
  nama: string;
}

export interface Sender {
  /** The id as WhatsApp gave it. */
  rawId: string;
  phone: string | null;
  lid: string | null;
  /** Stable key for per-sender state: the phone when known, else the LID, else the raw id. */
  key: string;
  role: Role;
  /** The client an operator runs, or a member belongs to. */
  client: ClientRef | null;
  member: MemberRecord | null;
  /** The dashboard account the sender signed in to by chat (unexpired), if any. */
  session: SessionInfo | null;
  /** Where the role comes from. */
  roleSource: RoleSource;
}

/** `admin-list`: ADMIN_WHATSAPP; `operator-number`: a client's `client_operator`. */
export type RoleSource = 'admin-list' | 'session' | 'operator-number' | 'member' | 'none';

interface Row {
  kind: 'session' | 'operator' | 'member';
  client_id: string | null;
  client_nama: string | null;
  user_id: string | null;
  nama: string | null;
  title: string | null;
  status: boolean | null;
  username: string | null;
  account_role: string | null;
  expires_at: Date | null;
}

/**
 * `client_operator` as canonical digits in SQL: operators type numbers in every form
 * (`0812…`, `62812…`, `…@c.us`), and the comparison must not depend on it.
 */
const OPERATOR_DIGITS = `(SELECT CASE WHEN d LIKE '0%' THEN '62' || substr(d, 2) ELSE d END
   FROM (SELECT regexp_replace(split_part(c.client_operator, '@', 1), '[^0-9]', '', 'g') AS d) AS x)`;

const LOOKUP = `
  SELECT 'operator' AS kind, c.client_id, c.nama AS client_nama, NULL AS user_id, NULL AS nama, NULL AS title, NULL::boolean AS status,
         NULL AS username, NULL AS account_role, NULL::timestamptz AS expires_at
    FROM clients c
   WHERE c.client_operator IS NOT NULL
     AND (lower(trim(c.client_operator)) = ANY($1) OR ${OPERATOR_DIGITS} = ANY($1))
  UNION ALL
  SELECT 'member', u.client_id, c.nama, u.user_id, u.nama, u.title, u.status, NULL, NULL, NULL
    FROM "user" u LEFT JOIN clients c ON c.client_id = u.client_id
   WHERE u.whatsapp = ANY($1)
  UNION ALL
  SELECT 'session', d.client_id, c.nama, NULL, NULL, NULL, NULL, d.username, lower(trim(d.role)), s.expires_at
    FROM operator_session s
    JOIN dashboard_user d ON d.user_id = s.dashboard_user_id
    LEFT JOIN clients c ON c.client_id = d.client_id
   WHERE s.sender_key = ANY($1) AND s.expires_at > $2 AND d.status
     AND (lower(trim(d.role)) = 'admin' OR (lower(trim(d.role)) = 'operator' AND d.client_id IS NOT NULL))
   ORDER BY 1 DESC, 2`;

/**
 * The sender's key when it is known without the database (a phone-number id), so
 * per-sender state can be read alongside the identity lookup; null for a LID.
 */
export function senderKeyHint(rawId: string): string | null {
  if (canonicalLid(rawId)) return null;
  return canonicalPhone(rawId) ?? rawId;
}

export interface ResolveOptions {
  /**
   * Whether WhatsApp may be asked about a LID our records do not know (default: yes).
   * Awaited only on such a miss, so the database look-ups run meanwhile: the bot passes
   * its claim of the message, and a message already handled costs no question.
   */
  mayAsk?: PromiseLike<boolean>;
}

/** A LID WhatsApp could not pair is asked about again after this long. */
const UNPAIRED_RETRY_MS = 3_600_000;
/** Bound on the LIDs remembered as unpaired (memory stays small whatever the traffic). */
const UNPAIRED_MAX = 10_000;

export class SenderDirectory {
  private readonly adminPhones: Set<string>;
  private readonly adminLids: Set<string>;
  /** Pairs already written this run, so a chatty LID sender costs no write per message. */
  private readonly recordedPairs = new Set<string>();
  /** LIDs WhatsApp did not pair, with when it was asked. */
  private readonly unpaired = new Map<string, number>();

  constructor(
    private readonly db: Queryable,
    admins: readonly WaIdentity[],
    /** Asks WhatsApp for the phone behind a LID (the transport's `phoneOfLid`). */
    private readonly askWhatsApp?: (lid: string) => Promise<string | null>,
    /** The clock sessions expire by. */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.adminPhones = new Set(admins.flatMap((a) => (a.kind === 'phone' ? [a.phone] : [])));
    this.adminLids = new Set(admins.flatMap((a) => (a.kind === 'lid' ? [a.lid] : [])));
  }

  /** Records a LID↔phone pair the transport revealed (idempotent). */
  async recordLid(lid: string, phone: string): Promise<void> {
    const pair = `${lid}=${phone}`;
    if (this.recordedPairs.has(pair)) return;
    await this.db.query(
      `INSERT INTO wa_lid_map (lid, phone) VALUES ($1, $2)
       ON CONFLICT (lid) DO UPDATE SET phone = excluded.phone, seen_at = now()`,
      [lid, phone],
    );
    this.recordedPairs.add(pair);
  }

  /** Asks WhatsApp about a LID our records do not know, and records what it says. */
  private async askAbout(lid: string): Promise<string | null> {
    if (!this.askWhatsApp) return null;
    const asked = this.unpaired.get(lid);
    if (asked !== undefined && Date.now() - asked < UNPAIRED_RETRY_MS) return null;
    const phone = canonicalPhone((await this.askWhatsApp(lid)) ?? '');
    if (!phone) {
      if (this.unpaired.size >= UNPAIRED_MAX) this.unpaired.clear();
      this.unpaired.set(lid, Date.now());
      return null;
    }
    this.unpaired.delete(lid);
    await this.recordLid(lid, phone);
    return phone;
  }

  async phoneForLid(lid: string): Promise<string | null> {
    const { rows } = await this.db.query<{ phone: string }>('SELECT phone FROM wa_lid_map WHERE lid = $1', [lid]);
    return rows[0]?.phone ?? null;
  }

  /**
   * Who `rawId` is. For a LID: the phone the transport revealed (recorded), else our
   * records, else WhatsApp's answer, asked only when `options.mayAsk` (awaited only then)
   * resolves true.
   */
  async resolve(rawId: string, revealedPhone?: string, options: ResolveOptions = {}): Promise<Sender> {
    const lid = canonicalLid(rawId);
    let phone = lid ? null : canonicalPhone(rawId);
    if (lid) {
      const revealed = revealedPhone ? canonicalPhone(revealedPhone) : null;
      if (revealed) await this.recordLid(lid, revealed);
      phone = revealed ?? (await this.phoneForLid(lid));
      if (phone === null && (await (options.mayAsk ?? true))) phone = await this.askAbout(lid);
    }
    const candidates = [phone, lid].filter((v): v is string => v !== null);
    const key = phone ?? lid ?? rawId;
    const base = { rawId, phone, lid, key };

    const { rows } =
      candidates.length > 0 ? await this.db.query<Row>(LOOKUP, [candidates, this.now()]) : { rows: [] as Row[] };
    const memberRow = rows.find((r) => r.kind === 'member');
    const operatorRow = rows.find((r) => r.kind === 'operator');
    // The latest-expiring session when a LID and its phone each signed in.
    const sessionRow = rows
      .filter((r) => r.kind === 'session')
      .sort((a, b) => new Date(b.expires_at!).getTime() - new Date(a.expires_at!).getTime())[0];
    const member: MemberRecord | null = memberRow
      ? {
          userId: memberRow.user_id!,
          nama: memberRow.nama,
          title: memberRow.title,
          clientId: memberRow.client_id,
          active: memberRow.status !== false,
        }
      : null;
    const ref = (r: Row | undefined): ClientRef | null =>
      r?.client_id ? { clientId: r.client_id, nama: r.client_nama ?? r.client_id } : null;

    const session: SessionInfo | null = sessionRow
      ? {
          username: sessionRow.username!,
          role: sessionRow.account_role as SessionRole,
          client: sessionRow.account_role === 'operator' ? ref(sessionRow) : null,
          expiresAt: new Date(sessionRow.expires_at!),
        }
      : null;
    const known = { ...base, member, session };

    const isAdmin = (phone !== null && this.adminPhones.has(phone)) || (lid !== null && this.adminLids.has(lid));
    if (isAdmin) return { ...known, role: 'admin', client: null, roleSource: 'admin-list' };
    if (session) return { ...known, role: session.role, client: session.client, roleSource: 'session' };
    if (operatorRow) return { ...known, role: 'operator', client: ref(operatorRow), roleSource: 'operator-number' };
    if (member) return { ...known, role: 'member', client: ref(memberRow), roleSource: 'member' };
    return { ...known, role: 'unknown', client: null, roleSource: 'none' };
  }

  /** The client a group is bound to (`clients.client_group` holds one or more group ids). */
  async clientOfGroup(groupId: string): Promise<ClientRef | null> {
    const { rows } = await this.db.query<{ client_id: string; nama: string }>(
      `SELECT client_id, nama FROM clients
        WHERE client_group IS NOT NULL
          AND $1 = ANY (string_to_array(regexp_replace(lower(client_group), '\\s', '', 'g'), ','))
        ORDER BY client_status DESC, client_id LIMIT 1`,
      [groupId.toLowerCase()],
    );
    const row = rows[0];
    return row ? { clientId: row.client_id, nama: row.nama } : null;
  }
}
