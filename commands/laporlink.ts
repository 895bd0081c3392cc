import { defineCommand } from '../src/bot/command.js';
import { UsageError, UserError } from '../src/bot/errors.js';
import { instagramPostUrl } from '../src/compliance/engagement.js';
import {
  findOfficialPost,
  LINK_PLATFORMS,
  type LinkPlatform,
  linkPlatform,
  type SavedLinkReport,
  saveLinkReport,
  shortcodeOf,
} from '../src/compliance/links.js';
import { LINK_PLATFORM_LABEL } from '../src/reports/link-text.js';

/** One link per platform; more arguments than this are a mistake worth explaining. */
const MAX_LINKS = LINK_PLATFORMS.length;

export default defineCommand({
  name: 'laporlink',
  syntax: 'laporlink#<link atau kode konten resmi>#<link>[#<link>…]',
  example: 'laporlink#https://www.instagram.com/p/DEMO1#https://www.facebook.com/budi/posts/123#https://x.com/budi/status/456',
  help: 'Anggota melaporkan link re-post (Instagram, Facebook, Twitter/X, TikTok, YouTube) atas satu konten resmi; link platform lain yang sudah dilaporkan tetap tersimpan.',
  roles: ['admin', 'operator', 'member'],
  // Room for a few too many links, so the handler can say "at most 5" instead of the bare
  // syntax; beyond that the message is not a link report at all.
  args: { min: 2, max: 1 + 4 * MAX_LINKS },
  async handler(ctx) {
    const member = ctx.sender.member;
    if (!member) {
      throw new UserError('❌ Nomor Anda belum terhubung dengan NRP/NIP. Laporan link hanya untuk anggota yang terdaftar.');
    }
    if (!member.active) throw new UserError('❌ Status Anda NONAKTIF; laporan link tidak dapat disimpan.');
    const [official = '', ...raws] = ctx.args;
    if (raws.length > MAX_LINKS) {
      const platforms = LINK_PLATFORMS.map((p) => LINK_PLATFORM_LABEL[p]).join(', ');
      throw new UsageError(
        `Paling banyak ${MAX_LINKS} link, satu per platform (${platforms}); Anda mengirim ${raws.length} link.`,
      );
    }
    const shortcode = shortcodeOf(official);
    if (!shortcode) throw new UsageError(`Konten resmi *${official}* tidak dikenali; kirim link postingan Instagram-nya.`);
    const post = await findOfficialPost(ctx.services.db, shortcode);
    if (!post || post.clientId === null || post.clientId !== member.clientId) {
      throw new UserError(`❌ Konten *${shortcode}* bukan konten resmi client Anda.`);
    }
    const links: Partial<Record<LinkPlatform, string>> = {};
    for (const raw of raws) {
      const found = linkPlatform(raw);
      if (!found) {
        throw new UserError(
          `❌ Link tidak dikenali: ${raw}\nKirim link postingan Instagram, Facebook, Twitter/X, TikTok, atau YouTube.`,
        );
      }
      const repost = found.platform === 'instagram' ? shortcodeOf(found.url) : null;
      if (repost && (repost === shortcode || (await findOfficialPost(ctx.services.db, repost)))) {
        throw new UserError(`❌ ${raw} adalah link konten resmi, bukan link re-post Anda.`);
      }
      if (links[found.platform]) {
        throw new UserError(`❌ Ada dua link ${LINK_PLATFORM_LABEL[found.platform]}; kirim satu link per platform.`);
      }
      links[found.platform] = found.url;
    }
    const saved = await saveLinkReport(ctx.services.db, { shortcode, userId: member.userId, links });
    const url = instagramPostUrl(shortcode);
    await ctx.reply(
      [
        saved.earlier
          ? `✅ Laporan amplifikasi untuk konten ${url} diperbarui. Link yang tersimpan:`
          : `✅ Laporan amplifikasi untuk konten ${url} tersimpan:`,
        ...LINK_PLATFORMS.flatMap((p) => {
          const link = saved.links[p];
          return link ? [`- ${LINK_PLATFORM_LABEL[p]}: ${link}${changeMark(saved, p)}`] : [];
        }),
      ].join('\n'),
    );
  },
});

/** On a resend, which links this message added or replaced; the rest were kept. */
function changeMark(saved: SavedLinkReport, platform: LinkPlatform): string {
  if (!saved.earlier) return '';
  const before = saved.earlier[platform];
  if (before === undefined) return ' (baru)';
  return before === saved.links[platform] ? '' : ' (diganti)';
}
