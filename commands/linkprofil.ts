import { defineCommand } from '../src/bot/command.js';
import { UsageError, UserError } from '../src/bot/errors.js';
import { bindingBarrier, profileLinkFlow } from '../src/members/flows.js';
import { profileLinkIn } from '../src/members/profile.js';
import { badHandle } from '../src/members/texts.js';

export default defineCommand({
  name: 'linkprofil',
  syntax: 'linkprofil#<link profil Instagram atau TikTok> (atau kirim link profilnya saja)',
  example: 'https://www.instagram.com/budi.santoso/',
  help: 'Kirim link profil Instagram atau TikTok Anda saja untuk mengubah username Anda; nomor yang belum terhubung dihubungkan dulu dengan NRP/NIP.',
  roles: ['admin', 'operator', 'member', 'unknown'],
  privateOnly: true,
  args: { min: 1, max: 1, keepHashInLast: true },
  matches: (text) => profileLinkIn(text) !== null,
  flows: [profileLinkFlow as never],
  async handler(ctx) {
    const link = profileLinkIn(ctx.args[0]!);
    if (!link) throw new UsageError('Kirim link profil Instagram atau TikTok.');
    if (!link.parsed.ok) throw new UserError(badHandle(link.platform, link.parsed.reason));
    if (!ctx.sender.member) {
      const barrier = bindingBarrier(ctx.sender);
      if (barrier) throw new UserError(barrier);
    }
    await ctx.startConversation(profileLinkFlow, { handle: { platform: link.platform, handle: link.parsed.handle } });
  },
});
