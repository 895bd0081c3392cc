/**
 * The CLI's one error boundary: problems the user can fix print as one line;
 * anything else prints one line too, with the stack only at LOG_LEVEL=debug/trace.
 */
import { CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { DatabaseUnavailableError } from '../db/db.js';

/** A failure the CLI reports as one line with a chosen exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function reportFatal(error: unknown, env: NodeJS.ProcessEnv = process.env): number {
  const verbose = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
  const line = (text: string): void => {
    process.stderr.write(`cicero: ${text}\n`);
  };
  if (error instanceof CommanderError) {
    // Commander has printed it already (with the help): --help and --version end with
    // exit code 0, every other CommanderError is a usage error.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof ConfigError) {
    line(error.message);
    return 2;
  }
  if (error instanceof CliError) {
    line(error.message);
    return error.exitCode;
  }
  if (error instanceof DataDirLockedError || error instanceof DatabaseUnavailableError) {
    line(error.message);
    if (verbose && error.cause instanceof Error) process.stderr.write(`${error.cause.stack}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  line(message.split('\n')[0] ?? 'unknown error');
  if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('cicero: (set LOG_LEVEL=debug for the details)\n');
  return 1;
}
