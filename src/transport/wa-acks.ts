/**
 * A sent message's fate. `sendMessage` resolves once the message is added locally;
 * WhatsApp's verdict arrives later as acks (`message_ack`): 1 and up means its server
 * took it, -1 means it refused it (how error 463 shows).
 */
import { ACK_ERROR, ACK_SERVER, type WaClient, type WaSentMessage } from './wa-client.js';

/** `abandoned`: the client was given up before the verdict (the message never left its browser). */
export type AckOutcome = 'accepted' | 'refused' | 'unconfirmed' | 'abandoned';

/** Acks remembered for messages nobody waits on yet (an ack can overtake `sendMessage`'s result). */
const REMEMBERED = 200;
/** Messages counted as sent unconfirmed, still watched for a late refusal. */
const WATCHED = 500;

export class AckWatcher {
  private readonly latest = new Map<string, number>();
  private readonly waiters = new Map<string, (outcome: AckOutcome) => void>();
  /** Unconfirmed sends (message id → chat): a refusal arriving later still counts. */
  private readonly unconfirmed = new Map<string, string>();

  constructor(
    client: WaClient,
    private readonly lateRefusal: (chatId: string) => void,
  ) {
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
    const chatId = this.unconfirmed.get(id);
    if (chatId !== undefined) {
      this.unconfirmed.delete(id);
      if (outcome === 'refused') this.lateRefusal(chatId);
      return;
    }
    this.latest.set(id, ack);
    trim(this.latest, REMEMBERED);
  }

  /** Waits up to `ms` for the server's verdict on a message `sendMessage` returned. */
  outcome(message: WaSentMessage, ms: number, chatId: string): Promise<AckOutcome> {
    const id = message.id?._serialized;
    const known = settled(message.ack) ?? (id ? settled(this.latest.get(id)) : null);
    if (known || !id) return Promise.resolve(known ?? 'unconfirmed');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.unconfirmed.set(id, chatId);
        trim(this.unconfirmed, WATCHED);
        done('unconfirmed');
      }, ms);
      const done = (outcome: AckOutcome): void => {
        clearTimeout(timer);
        this.waiters.delete(id);
        resolve(outcome);
      };
      this.waiters.set(id, done);
    });
  }

  /** The client is given up: every send still waiting learns its message never left. */
  abandon(): void {
    for (const done of [...this.waiters.values()]) done('abandoned');
  }
}

function settled(ack: number | undefined): AckOutcome | null {
  if (ack === undefined) return null;
  if (ack === ACK_ERROR) return 'refused';
  return ack >= ACK_SERVER ? 'accepted' : null;
}

function trim(map: Map<string, unknown>, size: number): void {
  while (map.size > size) map.delete(map.keys().next().value!);
}
