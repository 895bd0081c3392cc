/** The commands the bot knows, found by name or alias, filtered by role. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Role } from '../identity/sender.js';
import { type CommandSpec, runsIn } from './command.js';
import type { Flow } from './conversation.js';

export class CommandCatalog {
  private readonly byName = new Map<string, CommandSpec>();
  private readonly flowsByName = new Map<string, Flow<never>>();

  constructor(readonly commands: readonly CommandSpec[]) {
    for (const command of commands) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        if (this.byName.has(name)) throw new Error(`two commands are called "${name}"`);
        this.byName.set(name, command);
      }
      for (const flow of command.flows ?? []) {
        if (this.flowsByName.has(flow.name)) throw new Error(`two flows are called "${flow.name}"`);
        this.flowsByName.set(flow.name, flow);
      }
    }
  }

  find(name: string): CommandSpec | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The command that accepts this whole message as it stands (see `CommandSpec.matches`). */
  matching(text: string): CommandSpec | undefined {
    return this.commands.find((c) => c.matches?.(text));
  }

  flow(name: string): Flow<never> | undefined {
    return this.flowsByName.get(name);
  }

  /** The commands a role may run in a private chat or a group, in name order. */
  forRole(role: Role, isGroup: boolean): CommandSpec[] {
    return this.commands
      .filter((c) => c.roles.includes(role) && runsIn(c, isGroup))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}

/**
 * `commands/` next to this build: `<root>/commands` from source, `dist/commands`
 * when built (this file is then at `dist/src/bot/`).
 */
const commandsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../commands');

/** Loads every command file in `commands/` (each default-exports one command). */
export async function loadCommands(dir = commandsDir): Promise<CommandSpec[]> {
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .sort();
  const commands: CommandSpec[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: CommandSpec };
    if (!module.default?.name || typeof module.default.handler !== 'function') {
      throw new Error(`${file} does not default-export a command (defineCommand)`);
    }
    commands.push(module.default);
  }
  return commands;
}
