/** `insta#…` and `tiktok#…`: one command shape for both platforms. */
import { chatActor } from '../audit/change-log.js';
import { type CommandSpec, defineCommand } from '../bot/command.js';
import { UserError } from '../bot/errors.js';
import type { Platform } from '../compliance/handle.js';
import { checkHandle } from './handle-check.js';
import { parseHandle, setHandle } from './profile.js';
import { badHandle, handleTaken, handleUpdated, NOT_BOUND, PLATFORM_LABEL, withNote } from './texts.js';

export function handleCommand(name: string, platform: Platform, example: string): CommandSpec {
  return defineCommand({
    name,
    syntax: `${name}#<username atau link profil ${PLATFORM_LABEL[platform]}>`,
    example,
    help: `Mengubah username ${PLATFORM_LABEL[platform]} Anda (username atau link profil; bukan link postingan).`,
    roles: ['admin', 'operator', 'member'],
    privateOnly: true,
    args: { min: 1, max: 1, keepHashInLast: true },
    async handler(ctx) {
      const member = ctx.sender.member;
      if (!member) throw new UserError(NOT_BOUND);
      const parsed = parseHandle(ctx.args[0]!, platform);
      if (!parsed.ok) throw new UserError(badHandle(platform, parsed.reason));
      const verdict = await checkHandle(ctx, member, platform, parsed.handle, true);
      if (verdict.refused !== null) throw new UserError(verdict.refused);
      const stored = await setHandle(ctx.services.db, member, platform, parsed.handle, ctx.services.now(), chatActor(ctx.sender));
      if (!stored.ok) throw new UserError(handleTaken(platform, parsed.handle));
      await verdict.keep();
      await ctx.reply(withNote(handleUpdated(platform, parsed.handle, member.userId), verdict.note));
    },
  });
}
