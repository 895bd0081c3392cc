/**
 * The scope matrix of issue 12, in one table: every command that manages members,
 * clients or groups, sent by an admin, the operator of the client it names (A), the
 * operator of another client (B), a member and an unknown number. `ok` runs it; `nf`
 * answers as for something that does not exist (another client's member); `no` is a
 * refusal. A refusal changes nothing (no change_log row) and is never the apology.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { APOLOGY } from '../../src/bot/texts.js';
import { OTHER_CLIENT, OTHER_GROUP, OTHER_OPERATOR, resetClients } from '../clients/fixture.js';
import { ADMIN, CLIENT, createTestBot, MEMBER, OPERATOR, STRANGER, type TestBot, UNBOUND_GROUP } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

type Expect = 'ok' | 'nf' | 'no';
const SENDERS = { admin: ADMIN, 'operator of A': OPERATOR, 'operator of B': OTHER_OPERATOR, member: MEMBER, unknown: STRANGER } as const;
type Who = keyof typeof SENDERS;

/** [what is sent, where, what an ok reply looks like, expected per sender (admin, op A, op B, member, unknown)]. */
const TABLE: Array<[string, 'private' | 'unbound group', RegExp, [Expect, Expect, Expect, Expect, Expect]]> = [
  ['anggota#75070206', 'private', /^👤 \*AIPTU BUDI SANTOSO\*/, ['ok', 'ok', 'nf', 'no', 'no']],
  ['tambahanggota#76543210#ANI#BRIGPOL#SAT INTELKAM', 'private', /^✅ \*Anggota baru/, ['no', 'ok', 'ok', 'no', 'no']],
  ['ubahanggota#75070206#jabatan#kanit', 'private', /^✅ Jabatan untuk NRP\/NIP \*75070206\*/, ['ok', 'ok', 'nf', 'no', 'no']],
  ['statusanggota#75070206#nonaktif', 'private', /^✅ Status untuk NRP\/NIP \*75070206\*/, ['ok', 'ok', 'nf', 'no', 'no']],
  ['exception#75070206#ya', 'private', /^✅ Exception untuk NRP\/NIP \*75070206\*/, ['ok', 'ok', 'nf', 'no', 'no']],
  ['lepaswa#75070206', 'private', /^✅ WhatsApp untuk NRP\/NIP \*75070206\*/, ['ok', 'ok', 'nf', 'no', 'no']],
  ['riwayat#75070206', 'private', /^ℹ️ Belum ada perubahan tercatat/, ['ok', 'ok', 'nf', 'no', 'no']],
  ['exportanggota#POLRESABC', 'private', /^\[document\]/, ['ok', 'ok', 'no', 'no', 'no']],
  ['oprrequest', 'private', /MENU OPERATOR CICERO|Daftar Client/, ['ok', 'ok', 'ok', 'no', 'no']],
  ['clientrequest', 'private', /MENU CLIENT CICERO/, ['ok', 'no', 'no', 'no', 'no']],
  ['clientinfo#POLRESABC', 'private', /POLRESABC/, ['ok', 'no', 'no', 'no', 'no']],
  ['addnewclient#POLRESNEW#Polres Baru', 'private', /POLRESNEW/, ['ok', 'no', 'no', 'no', 'no']],
  ['updateclient#POLRESABC#client_type#ORG', 'private', /ORG/, ['ok', 'no', 'no', 'no', 'no']],
  ['removeclient#POLRESABC', 'private', /^⚠️ Hapus client \*POLRESABC\*/, ['ok', 'no', 'no', 'no', 'no']],
  ['approvedash#d1', 'private', /ops\.abc/, ['ok', 'no', 'no', 'no', 'no']],
  ['denydash#d1', 'private', /ops\.abc/, ['ok', 'no', 'no', 'no', 'no']],
  ['thisgroup#POLRESABC', 'private', /^$/, ['no', 'no', 'no', 'no', 'no']],
  ['thisgroup#POLRESABC', 'unbound group', /POLRESABC/, ['ok', 'ok', 'no', 'no', 'no']],
];

describe(`scope matrix of the management commands (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;

  beforeEach(async () => {
    const db = database().db;
    await resetClients(db);
    await db.query(`INSERT INTO dashboard_user (user_id, username, password_hash, role, status, client_id) VALUES ('d1', 'ops.abc', 'x', 'operator', false, $1)`, [
      CLIENT,
    ]);
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const changes = async () => (await database().db.query<{ n: number }>('SELECT count(*)::int AS n FROM change_log')).rows[0]!.n;

  const cases = TABLE.flatMap(([text, where, ok, expected]) =>
    (Object.keys(SENDERS) as Who[]).map((who, i) => [text, where, who, expected[i]!, ok] as const),
  );
  it.each(cases)('%s in a %s chat from %s: %s', async (text, where, who, expected, ok) => {
    const before = await changes();
    const sent = await t.exchange(SENDERS[who], text, where === 'unbound group' ? { group: UNBOUND_GROUP } : {});
    const replies = sent.map((m) => (m.kind === 'text' ? m.text : m.kind === 'image' ? `[image] ${m.image.fileName}` : `[document] ${m.document.fileName}`));
    expect(replies.join('\n')).not.toContain(APOLOGY);
    if (expected === 'ok') {
      expect(replies.join('\n')).toMatch(ok);
      return;
    }
    expect(replies.length, 'one reply').toBe(1);
    if (expected === 'nf') expect(replies[0]).toMatch(/tidak ditemukan di client Anda/);
    else expect(replies[0]).toMatch(/^(❌|🤖|⚠️ Perintah)/);
    expect(replies[0]).not.toMatch(/BUDI|SANTOSO|ops\.abc|POLRES XYZ/);
    expect(await changes()).toBe(before);
    // B's client, its group and its operator stay as they were.
    const { rows } = await database().db.query('SELECT client_operator, client_group FROM clients WHERE client_id = $1', [OTHER_CLIENT]);
    expect(rows[0]).toEqual({ client_operator: OTHER_OPERATOR, client_group: OTHER_GROUP });
  });
});
