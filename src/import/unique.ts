/**
 * Values that must stay unique after an import (a WhatsApp number everywhere, a handle
 * within the client). A row "claims" a value when it gives its member a value the
 * member does not hold yet. A claim is refused when another row claims the same value,
 * or when another member holds it and keeps it (is not given another value by a valid
 * row). Refusing a row can make its member keep a value another row claimed, so the
 * check runs again until nothing more is refused.
 */

export interface Claimant {
  line: number;
  /** The member's NRP (as stored, or to be stored). */
  userId: string;
}

export interface UniqueCheck<R extends Claimant> {
  /** The row's value (null: the cell was empty). */
  valueOf(row: R): string | null;
  /** The member's stored value, in the same normal form (null: none). */
  storedOf(userId: string): string | null;
  /** Members holding `value` now, in normal form. */
  holdersOf(value: string): readonly string[];
  /** Why the claim is refused, naming the member that holds it (or the other lines). */
  heldBy(value: string, holder: string): string;
  claimedAlso(value: string, lines: number[]): string;
}

/** The rows refused, each with its reason; `valid` are the rows still valid (checked in place). */
export function refuseTaken<R extends Claimant>(valid: Set<R>, check: UniqueCheck<R>): Map<R, string> {
  const refused = new Map<R, string>();
  for (;;) {
    const giving = new Map<string, R>();
    for (const row of valid) if (check.valueOf(row) !== null) giving.set(row.userId, row);
    const finalOf = (userId: string): string | null => {
      const row = giving.get(userId);
      return row ? check.valueOf(row) : check.storedOf(userId);
    };
    const claims = new Map<string, R[]>();
    for (const row of valid) {
      const value = check.valueOf(row);
      if (value === null || value === check.storedOf(row.userId)) continue;
      claims.set(value, [...(claims.get(value) ?? []), row]);
    }
    const now = new Map<R, string>();
    for (const [value, rows] of claims) {
      if (rows.length > 1) {
        for (const row of rows) now.set(row, check.claimedAlso(value, rows.filter((r) => r !== row).map((r) => r.line)));
        continue;
      }
      const row = rows[0]!;
      const holder = check.holdersOf(value).find((h) => h !== row.userId && finalOf(h) === value);
      if (holder) now.set(row, check.heldBy(value, holder));
    }
    if (now.size === 0) return refused;
    for (const [row, reason] of now) {
      valid.delete(row);
      refused.set(row, reason);
    }
  }
}
