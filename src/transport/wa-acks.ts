/**
 * A sent message's fate. `sendMessage` resolves once the message is added locally;
 * WhatsApp's verdict arrives later as acks (`message_ack`): 1 and up means its server
 * took it, -1 means it refused it (how error 463 shows).
 */
import { ACK_ERROR, ACK_SERVER, type WaClient, type WaSentMessage } from './wa-client.js';

export type AckOutcome = 'accepted' | 'refused' | 'unconfirmed';

/** Acks remembered for messages nobody waits on yet (an ack can overtake `sendMessage`'s result). */
const REMEMBERED = 200;

export class AckWatcher {
  private readonly latest = new Map<string, number>();
  private readonly waiters = new Map<string, (outcome: AckOutcome) => void>();

  constructor(client: WaClient) {
    client.on('message_ack', (message: WaSentMessage, ack: number) => {
      const id = message?.id?._serialized;
      if (id) this.record(id, ack);
    });
  }

  private record(id: string, ack: number): void {
    const outcome = settled(ack);
    if (!outcome) return;
    const waiter = this.waiters.get(id);
    if (waiter) {
      waiter(outcome);
      return;
    }
    this.latest.set(id, ack);
    if (this.latest.size > REMEMBERED) this.latest.delete(this.latest.keys().next().value!);
  }

  /** Waits up to `ms` for the server's verdict on a message `sendMessage` returned. */
  outcome(message: WaSentMessage, ms: number): Promise<AckOutcome> {
    const id = message.id?._serialized;
    const known = settled(message.ack) ?? (id ? settled(this.latest.get(id)) : null);
    if (known || !id) return Promise.resolve(known ?? 'unconfirmed');
    return new Promise((resolve) => {
      const timer = setTimeout(() => done('unconfirmed'), ms);
      const done = (outcome: AckOutcome): void => {
        clearTimeout(timer);
        this.waiters.delete(id);
        resolve(outcome);
      };
      this.waiters.set(id, done);
    });
  }
}

function settled(ack: number | undefined): AckOutcome | null {
  if (ack === undefined) return null;
  if (ack === ACK_ERROR) return 'refused';
  return ack >= ACK_SERVER ? 'accepted' : null;
}
