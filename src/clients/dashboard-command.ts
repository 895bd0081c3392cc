/** `approvedash#` and `denydash#` differ only in the status they set: one definition. */
import { type CommandSpec, defineCommand } from '../bot/command.js';
import { dashboardStatusReply } from './replies.js';

export function dashboardStatusCommand(name: string, approve: boolean, help: string): CommandSpec {
  return defineCommand({
    name,
    syntax: `${name}#<user_id atau username>`,
    example: `${name}#budi.ops`,
    help,
    roles: ['admin'],
    args: { min: 1, max: 1 },
    async handler(ctx) {
      await ctx.reply(await dashboardStatusReply(ctx, ctx.args[0]!, approve));
    },
  });
}
