/** What every database-backed subcommand does first: configuration, logger, database. */
import { ConfigError, loadConfig, loadDotenv, variables as allVariables, type Config, type VariableName } from '../config.js';
import { type OpenDatabase, openDatabase } from '../db/open.js';
import { createLogger, type Logger } from '../log.js';

const DB_VARIABLES = ['DATABASE_URL', 'CICERO_DATA_DIR', 'PG_POOL_MAX', 'LOG_LEVEL'] as const;
type DbVariable = (typeof DB_VARIABLES)[number];

export interface CommandContext<K extends VariableName> {
  config: Config<K | DbVariable>;
  log: Logger;
  database: OpenDatabase;
}

/**
 * Validates the variables the subcommand needs (plus the database's), opens and
 * migrates the database, runs `fn`, and always closes the database afterwards.
 */
export async function withDatabase<K extends VariableName, R>(
  command: string,
  variables: readonly K[],
  fn: (ctx: CommandContext<K>) => Promise<R>,
  options: {
    /** Checks that need no database and should fail before it is opened. */
    preflight?: (config: Config<K | DbVariable>) => void;
    /** Hold the data-directory lock even on PostgreSQL (for the WhatsApp session). */
    lockDataDir?: boolean;
  } = {},
): Promise<R> {
  const { preflight, lockDataDir = false } = options;
  loadDotenv();
  const config = loadConfig<K | DbVariable>([...DB_VARIABLES, ...variables]);
  preflight?.(config);
  const log = createLogger({ level: config.LOG_LEVEL });
  const database = await openDatabase(config, { command, log, lockDataDir, timezone: lenientTimezone() });
  try {
    return await fn({ config, log, database });
  } finally {
    await database.close();
  }
}

/**
 * CICERO_TIMEZONE for the times in messages such as "data directory in use": a
 * subcommand that needs the zone has validated it already, and one that does not
 * (`cicero migrate`) must not fail over it, so an invalid zone means the default here.
 */
function lenientTimezone(): string {
  try {
    return loadConfig(['CICERO_TIMEZONE']).CICERO_TIMEZONE;
  } catch (error) {
    if (error instanceof ConfigError) return allVariables.CICERO_TIMEZONE.fallback;
    throw error;
  }
}
