/** Waiting for work with a deadline. */

/** What {@link within} gives when the time ran out. */
export const LATE = Symbol('late');

/**
 * The result of `work`, or {@link LATE} once `ms` have passed (the work itself goes
 * on; a rejection of `work` within the time is passed on).
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
