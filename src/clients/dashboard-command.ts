/** `approvedash#` and `denydash#` differ only in the status they set: one definition. */
import { chatActor } from '../audit/change-log.js';
import { type CommandSpec, defineCommand } from '../bot/command.js';
import { UserError } from '../bot/errors.js';
import { setDashboardStatus } from './dashboard.js';
import { accountStatus, unknownAccount } from './texts.js';

export function dashboardStatusCommand(name: string, approve: boolean, help: string): CommandSpec {
  return defineCommand({
    name,
    syntax: `${name}#<user_id atau username>`,
    example: `${name}#budi.ops`,
    help,
    roles: ['admin'],
    args: { min: 1, max: 1 },
    async handler(ctx) {
      const typed = ctx.args[0]!;
      const { db, now } = ctx.services;
      const outcome = await setDashboardStatus(db, chatActor(ctx.sender), typed, approve, now());
      if (!outcome.found) throw new UserError(unknownAccount(typed));
      if (outcome.account.clientId) ctx.actOn(outcome.account.clientId);
      await ctx.reply(accountStatus(outcome.account.username, approve, outcome.changed, outcome.sessionsEnded));
    },
  });
}
