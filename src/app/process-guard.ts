/**
 * The process boundary for promise rejections nobody handled. whatsapp-web.js leaves
 * some (re-injection after a navigation, pairing-code requests, `destroy()` after a
 * disconnect, LocalAuth's logout `EBUSY`); on Node 20 the first one would end the bot.
 * They are logged with what they say and handed to the transport, which may recover
 * (a page that is gone means a reconnect); the process carries on.
 */
import type { Logger } from '../log.js';
import { describeError } from '../transport/wa-errors.js';

export function guardRejections(log: Logger, notice: (reason: unknown) => void): () => void {
  const onRejection = (reason: unknown): void => {
    const stack = reason instanceof Error ? reason.stack?.split('\n').slice(1, 4).map((l) => l.trim()) : undefined;
    log.error({ reason: describeError(reason), ...(stack ? { stack } : {}) }, 'unhandled promise rejection (carrying on)');
    try {
      notice(reason);
    } catch (error) {
      log.error({ err: error }, 'could not act on an unhandled rejection');
    }
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
