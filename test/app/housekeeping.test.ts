import { describe, expect, it } from 'vitest';
import { HOUSEKEEPING_VARIABLES, prune } from '../../src/app/housekeeping.js';
import { loadConfig } from '../../src/config.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`housekeeping (${backend})`, () => {
  const database = useTestDatabase();

  it('prunes each kind of row after its own retention and keeps the rest', async () => {
    const { db } = database();
    const now = new Date('2026-11-25T03:00:00Z');
    const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const config = loadConfig(HOUSEKEEPING_VARIABLES, {
      CICERO_OUTBOX_RETENTION_DAYS: '7',
      CICERO_DEAD_LETTER_RETENTION_DAYS: '30',
      CICERO_DEDUP_RETENTION_HOURS: '48',
      CICERO_EXPIRED_CONVERSATION_RETENTION_HOURS: '24',
      CICERO_AUDIT_RETENTION_DAYS: '90',
    });
    const outbox = async (key: string, status: string, at: Date) =>
      db.query(
        `INSERT INTO outbox (message_key, endpoint, chat_id, body, status, created_at, sent_at)
         VALUES ($1, 'whatsapp', 'a@c.us', 'x', $2, $3, CASE WHEN $2 = 'sent' THEN $3::timestamptz END)`,
        [key, status, at],
      );
    await outbox('sent-old', 'sent', ago(8 * 24));
    await outbox('sent-new', 'sent', ago(6 * 24));
    await outbox('dead-old', 'dead', ago(31 * 24));
    await outbox('dead-new', 'dead', ago(8 * 24)); // dead letters are kept longer than sent rows
    await outbox('pending-old', 'pending', ago(60 * 24)); // never pruned: still to be sent
    // Files in pieces: one of a row pruned now, one of a row kept, and two no row refers to
    // (one a day old, one from a build that may still be storing it).
    const files = { pruned: '00000000-0000-4000-8000-000000000001', kept: '00000000-0000-4000-8000-000000000002',
      orphan: '00000000-0000-4000-8000-000000000003', storing: '00000000-0000-4000-8000-000000000004' };
    for (const [file, hours] of [[files.pruned, 8 * 24], [files.kept, 60 * 24], [files.orphan, 25], [files.storing, 23]] as const) {
      for (const seq of [0, 1]) {
        await db.query(`INSERT INTO outbox_file (file_id, seq, data, created_at) VALUES ($1, $2, '\\x00', $3)`, [file, seq, ago(hours)]);
      }
    }
    await db.query(`UPDATE outbox SET document_file = $1 WHERE message_key = 'sent-old'`, [files.pruned]);
    await db.query(`UPDATE outbox SET document_file = $1 WHERE message_key = 'pending-old'`, [files.kept]);
    for (const [id, hours] of [['in-old', 49], ['in-new', 47]] as const) {
      await db.query(`INSERT INTO inbound_message (id, chat_id, sender_id, received_at) VALUES ($1, 'a', 'a', $2)`, [id, ago(hours)]);
    }
    for (const [sender, hours] of [['conv-old', 25], ['conv-new', 23]] as const) {
      await db.query(
        `INSERT INTO conversation (chat_id, sender_id, flow, step, expires_at) VALUES ('a', $1, 'f', 's', $2)`,
        [sender, ago(hours)],
      );
    }
    for (const [command, days] of [['old', 91], ['new', 89]] as const) {
      await db.query(
        `INSERT INTO command_audit (at, sender_id, role, command, chat_id, outcome) VALUES ($1, 'a', 'admin', $2, 'a', 'done')`,
        [ago(days * 24), command],
      );
    }

    for (const [worker, hours] of [['died', 25], ['quiet', 23]] as const) {
      await db.query(`INSERT INTO bot_worker (worker, pid, hostname, seen_at) VALUES ($1, 1, 'h', $2)`, [worker, ago(hours)]);
    }

    await db.query(
      `INSERT INTO dashboard_user (user_id, username, password_hash, role) VALUES ('u1', 'op', 'x', 'admin')`,
    );
    for (const [key, hours] of [['session-old', 1], ['session-new', -1]] as const) {
      await db.query(
        `INSERT INTO operator_session (sender_key, dashboard_user_id, signed_in_at, expires_at) VALUES ($1, 'u1', $2, $3)`,
        [key, ago(12), ago(hours)],
      );
    }
    for (const [key, hours] of [['failure-old', 49], ['failure-new', 47]] as const) {
      await db.query(`INSERT INTO login_failure (sender_key, username_key, failed_at) VALUES ($1, 'op', $2)`, [key, ago(hours)]);
    }

    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('HK', 'HK')`);
    await db.query(`INSERT INTO schedule_job (client_id, job, cron) VALUES ('HK', 'fetch', '{"0 9 * * *"}')`);
    for (const [occurrence, days] of [['2026-01-01T02:00:00Z', 32], ['2026-01-02T02:00:00Z', 30]] as const) {
      await db.query(
        `INSERT INTO schedule_run (client_id, job, occurrence_at, claimed_by, claimed_at) VALUES ('HK', 'fetch', $1, 'w', $2)`,
        [occurrence, ago(days * 24)],
      );
    }

    for (const [key, hours] of [['att-old', 49], ['att-new', 47]] as const) {
      await db.query(
        `INSERT INTO pending_attachment (message_key, endpoint, chat_id, builder, created_at, next_attempt_at)
         VALUES ($1, 'whatsapp', 'a@c.us', 'b', $2, $2)`,
        [key, ago(hours)],
      );
    }

    expect(await prune(db, config, now)).toEqual({
      outbox: 2, inbound: 1, conversations: 1, audit: 1, workers: 1, signIn: 2, schedule: 1, attachments: 1, files: 2,
    });
    const left = async (sql: string) => (await db.query<{ k: string }>(sql)).rows.map((r) => r.k).sort();
    expect(await left('SELECT message_key AS k FROM outbox')).toEqual(['dead-new', 'pending-old', 'sent-new']);
    expect(await left('SELECT message_key AS k FROM pending_attachment')).toEqual(['att-new']);
    expect(await left('SELECT DISTINCT file_id::text AS k FROM outbox_file')).toEqual([files.kept, files.storing]);
    expect(await left('SELECT id AS k FROM inbound_message')).toEqual(['in-new']);
    expect(await left('SELECT sender_id AS k FROM conversation')).toEqual(['conv-new']);
    expect(await left('SELECT command AS k FROM command_audit')).toEqual(['new']);
    expect(await left('SELECT worker AS k FROM bot_worker')).toEqual(['quiet']);
    expect(await left('SELECT sender_key AS k FROM operator_session')).toEqual(['session-new']);
    expect(await left('SELECT sender_key AS k FROM login_failure')).toEqual(['failure-new']);
  });
});
