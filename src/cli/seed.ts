import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { seedDemo } from '../seed/demo.js';
import { withDatabase } from './context.js';

/** `6281100000001` → `0811-0000-0001`, the form people type. */
function localNumber(phone: string): string {
  const digits = phone.startsWith('62') ? `0${phone.slice(2)}` : phone;
  return [digits.slice(0, 4), digits.slice(4, 8), digits.slice(8)].filter(Boolean).join('-');
}

export function registerSeed(program: Command): void {
  const seed = program.command('seed').description('fill the database with sample data');
  seed
    .command('demo')
    .description(
      'replace the demo Polres (client POLRESDEMO) with a fresh copy: a few hundred members, ' +
        'and Instagram and TikTok posts with likes and comments published today (Jakarta time); ' +
        'prints the numbers to try each role with',
    )
    .action(() =>
      withDatabase('cicero seed demo', ['CICERO_TIMEZONE'], async ({ config, database }) => {
        const zone = config.CICERO_TIMEZONE;
        const s = await seedDemo(database.db, new Date(), zone);
        const first = DateTime.fromJSDate(s.firstPostAt, { zone }).toFormat('yyyy-LL-dd HH:mm:ss ZZZZ');
        const { admin, operator, boundMember, unboundMember, unusedNumber } = s.tryAs;
        process.stdout.write(
          [
            `Demo client ${s.clientId} (${s.nama}) seeded into ${database.location}:`,
            `  members: ${s.activeMembers} active (${s.exceptionMembers} exception), ${s.inactiveMembers} inactive, in ${s.divisions} divisions`,
            `  posts today: ${s.instaPosts} Instagram, ${s.tiktokPosts} TikTok (first at ${first})`,
            `  link reports: ${s.linkReports}`,
            `  group: ${s.group}`,
            'Try it as (cicero chat --from <number>, or cicero send --from <number> "<text>"):',
            '  admin: not stored in the database; set this in .env or the environment:',
            `    ADMIN_WHATSAPP=${localNumber(admin)}`,
            `  operator of ${s.clientId}: ${localNumber(operator)}`,
            `  bound member: ${localNumber(boundMember.whatsapp)}, NRP ${boundMember.nrp} (${boundMember.name})`,
            `  unbound member: NRP ${unboundMember.nrp} (${unboundMember.name}), no WhatsApp bound yet`,
            `  unused number: ${localNumber(unusedNumber)}, nobody's, for trying registration later`,
            '',
          ].join('\n'),
        );
      }),
    );
}
