/**
 * Whether this process is answering a chat right now. Background work that can wait (the
 * workbook process) gives way meanwhile: niced alone, it still slowed every reply on two
 * shared cores (busy p50 a millisecond over idle, p99 twice idle). One count per process;
 * listeners hear it turn busy and idle again.
 */
let inHand = 0;
const listeners = new Set<(busy: boolean) => void>();

function tell(busy: boolean): void {
  for (const listener of listeners) listener(busy);
}

/** Runs `work` counted as answering a chat. */
export async function answering<T>(work: () => Promise<T>): Promise<T> {
  if (inHand++ === 0) tell(true);
  try {
    return await work();
  } finally {
    if (--inHand === 0) tell(false);
  }
}

export function isAnswering(): boolean {
  return inHand > 0;
}

/** Calls `listener` whenever answering starts (true) or ends (false); returns the unsubscribe. */
export function onAnswering(listener: (busy: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
