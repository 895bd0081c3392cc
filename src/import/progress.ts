/**
 * A one-line progress bar for large imports, redrawn in place with `\r` on a terminal.
 * Nothing is drawn when the stream is not a terminal (a pipe, a file, a test) or the
 * file is small.
 */

export interface Progress {
  /** `done` of the total rows have gone through `phase`. */
  step(phase: string, done: number): void;
  /** Clears the line. */
  end(): void;
}

const WIDTH = 24;
/** Smaller files finish before a bar is worth drawing. */
export const PROGRESS_MIN_ROWS = 2000;

export function terminalProgress(total: number, stream: NodeJS.WriteStream = process.stdout): Progress | undefined {
  if (!stream.isTTY || total < PROGRESS_MIN_ROWS) return undefined;
  let drawn = false;
  return {
    step(phase, done) {
      const share = Math.min(1, done / total);
      const full = Math.round(share * WIDTH);
      stream.write(`\r[${'#'.repeat(full)}${'.'.repeat(WIDTH - full)}] ${done}/${total} rows ${phase}\u001b[K`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}
