/**
 * The command grammar operators already use: `name#arg#arg`, name case-insensitive,
 * arguments trimmed; a bare keyword (`help`, `userrequest`) is a command without
 * arguments.
 */

export interface ParsedCommand {
  name: string;
  /** Everything after the first `#`, not yet split (a command decides how). */
  rest: string | null;
}

/** Longer than any command: such text is chatter, not a command. */
const MAX_NAME = 40;

export function parseCommand(text: string): ParsedCommand | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const hash = trimmed.indexOf('#');
  const name = (hash === -1 ? trimmed : trimmed.slice(0, hash)).trim().toLowerCase();
  if (name === '' || name.length > MAX_NAME || /\s/.test(name)) return null;
  return { name, rest: hash === -1 ? null : trimmed.slice(hash + 1) };
}

/**
 * Splits the arguments. With `keepHashInLast`, at most `max` arguments: the last
 * one keeps any further `#` (e.g. `updateclient#ID#KEY#value#with#hashes`).
 */
export function splitArgs(rest: string | null, max: number, keepHashInLast: boolean): string[] {
  if (rest === null) return [];
  const parts = rest.split('#');
  if (keepHashInLast && parts.length > max && max > 0) {
    parts.splice(max - 1, parts.length, parts.slice(max - 1).join('#'));
  }
  const args = parts.map((p) => p.trim());
  // A trailing `#` ("help#") adds nothing.
  while (args.length > 0 && args.at(-1) === '') args.pop();
  return args;
}
