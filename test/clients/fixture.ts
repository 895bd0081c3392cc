/** Shared set-up for the client management tests: a clean slate and the change_log rows. */
import type { ChangeRow } from '../../src/audit/change-log.js';
import type { Db } from '../../src/db/db.js';
import { seedChatFixture } from '../helpers/bot.js';

export const OTHER_CLIENT = 'POLRESXYZ';
export const OTHER_OPERATOR = '6281200000022';
export const OTHER_GROUP = '120363333333333333@g.us';

/** The chat fixture (POLRESABC with its operator, two groups and a member) and a second client. */
export async function resetClients(db: Db): Promise<void> {
  for (const table of ['link_report', 'insta_like', 'insta_post', 'tiktok_comment', 'tiktok_post', '"user"', 'operator_session', 'dashboard_user', 'clients', 'change_log', 'conversation']) {
    await db.query(`DELETE FROM ${table}`);
  }
  await seedChatFixture(db);
  await db.query(
    `INSERT INTO clients (client_id, nama, client_operator, client_group) VALUES ($1, 'POLRES XYZ', $2, $3)`,
    [OTHER_CLIENT, OTHER_OPERATOR, OTHER_GROUP],
  );
}

export type LogRow = Omit<ChangeRow, 'changed_at'>;

export async function changeLog(db: Db): Promise<LogRow[]> {
  const { rows } = await db.query<LogRow>(
    'SELECT source, actor, actor_role, client_id, user_id, field, old_value, new_value FROM change_log ORDER BY id',
  );
  return rows;
}

export async function clientRow(db: Db, id: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await db.query('SELECT * FROM clients WHERE client_id = $1', [id]);
  return rows[0];
}
