import { defineCommand } from '../src/bot/command.js';
import { UsageError, UserError } from '../src/bot/errors.js';
import { instagramPostUrl } from '../src/compliance/engagement.js';
import { findOfficialPost, type LinkPlatform, linkPlatform, saveLinkReport, shortcodeOf } from '../src/compliance/links.js';
import { LINK_PLATFORM_LABEL } from '../src/reports/link-text.js';

export default defineCommand({
  name: 'laporlink',
  syntax: 'laporlink#<link atau kode konten resmi>#<link>[#<link>…]',
  example: 'laporlink#https://www.instagram.com/p/DEMO1#https://www.facebook.com/budi/posts/123#https://x.com/budi/status/456',
  help: 'Anggota melaporkan link re-post (Instagram, Facebook, Twitter/X, TikTok, YouTube) atas satu konten resmi.',
  roles: ['admin', 'operator', 'member'],
  args: { min: 2, max: 6 },
  async handler(ctx) {
    const member = ctx.sender.member;
    if (!member) {
      throw new UserError('❌ Nomor Anda belum terhubung dengan NRP/NIP. Laporan link hanya untuk anggota yang terdaftar.');
    }
    if (!member.active) throw new UserError('❌ Status Anda NONAKTIF; laporan link tidak dapat disimpan.');
    const [official = '', ...raws] = ctx.args;
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
    const replaced = await saveLinkReport(ctx.services.db, { shortcode, userId: member.userId, links });
    await ctx.reply(
      [
        `✅ Laporan amplifikasi untuk konten ${instagramPostUrl(shortcode)} tersimpan${replaced ? ' (menggantikan laporan sebelumnya)' : ''}:`,
        ...Object.entries(links).map(([platform, url]) => `- ${LINK_PLATFORM_LABEL[platform as LinkPlatform]}: ${url}`),
      ].join('\n'),
    );
  },
});
