import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { seedDemo } from '../seed/demo.js';
import { withDatabase } from './context.js';

export function registerSeed(program: Command): void {
  const seed = program.command('seed').description('fill the database with sample data');
  seed
    .command('demo')
    .description(
      'replace the demo Polres (client POLRESDEMO) with a fresh copy: a few hundred members, ' +
        "and Instagram and TikTok posts with likes and comments published today (Jakarta time)",
    )
    .action(() =>
      withDatabase('cicero seed demo', ['CICERO_TIMEZONE'], async ({ config, database }) => {
        const zone = config.CICERO_TIMEZONE;
        const s = await seedDemo(database.db, new Date(), zone);
        const first = DateTime.fromJSDate(s.firstPostAt, { zone }).toFormat('yyyy-LL-dd HH:mm:ss ZZZZ');
        process.stdout.write(
          [
            `Demo client ${s.clientId} (${s.nama}) seeded into ${database.location}:`,
            `  members: ${s.activeMembers} active (${s.exceptionMembers} exception), ${s.inactiveMembers} inactive, in ${s.divisions} divisions`,
            `  posts today: ${s.instaPosts} Instagram, ${s.tiktokPosts} TikTok (first at ${first})`,
            `  link reports: ${s.linkReports}`,
            `  operator WhatsApp: ${s.operator}, group: ${s.group}`,
            '',
          ].join('\n'),
        );
      }),
    );
}
