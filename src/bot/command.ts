/**
 * What a chat command is. Each file in `commands/` default-exports one
 * `defineCommand({...})`; adding a command touches no router code.
 */
import type { Role } from '../identity/sender.js';
import type { Context } from './context.js';
import type { Flow } from './conversation.js';

export interface CommandSpec {
  /** Lower-case name as typed before the first `#`. */
  name: string;
  aliases?: readonly string[];
  /** Grammar shown on wrong input and in help, e.g. `absensilikes#<client>#<mode>`. */
  syntax: string;
  /** A complete example a user can copy. */
  example: string;
  /** One line of Indonesian help. */
  help: string;
  /** Roles allowed to run it. */
  roles: readonly Role[];
  /**
   * Runs only in private chats. Default: true for admin-only commands, which show the
   * bot's own state and must not be read out to a whole group.
   */
  privateOnly?: boolean;
  /**
   * Its arguments hold a secret (a password): in a group it is never run (the group is
   * told to change the secret), and in a private chat it is never taken as an answer
   * to a menu, so the text is stored nowhere.
   */
  secretArgs?: boolean;
  /**
   * Runs in a group bound to no client too, for every role it allows (`thisgroup#`, which
   * binds it). Otherwise such a group answers admins only.
   */
  unboundGroups?: boolean;
  /**
   * With `secretArgs`: a line the router ends every private reply to the command with
   * (usage errors, refusals, failures and a flood notice included), e.g. a reminder to
   * delete the message that holds the secret.
   */
  secretReminder?: string;
  /**
   * Also runs, in a private chat, for a whole message this accepts that is no command
   * (e.g. a profile link sent alone); the trimmed text is then its one argument.
   */
  matches?(text: string): boolean;
  /** The roles for which {@link matches} applies; default {@link roles}. */
  matchRoles?: readonly Role[];
  /** Argument count after the name; default none. */
  args?: { min: number; max: number; keepHashInLast?: boolean };
  /** Multi-step conversations this command starts. */
  flows?: readonly Flow<never>[];
  handler(ctx: Context): Promise<void>;
}

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}

/** Whether the command may run in a chat of this kind. */
export function runsIn(command: CommandSpec, isGroup: boolean): boolean {
  if (!isGroup) return true;
  return !(command.privateOnly ?? command.roles.every((role) => role === 'admin'));
}
