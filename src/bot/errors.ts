/** Errors a handler throws to answer the user; the router turns them into replies. */

/** The user asked for something that cannot be done; `message` is the Indonesian reply. */
export class UserError extends Error {
  override name = 'UserError';
}

/** The command's arguments are wrong; the router answers with its syntax and an example. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(readonly detail?: string) {
    super(detail ?? 'wrong arguments');
  }
}
