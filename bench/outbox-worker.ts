/**
 * One outbox worker process for bench/outbox.ts: drains endpoint `bench` on the
 * given database and prints `S <text>` for every message it sends.
 */
import pino from 'pino';
import { PostgresDb } from '../src/db/postgres.js';
import { KillSwitch } from '../src/outbox/kill-switch.js';
import { DEFAULT_SETTINGS, NO_PACING, Outbox } from '../src/outbox/outbox.js';
import { BaseTransport, type OutgoingDocument, type OutgoingImage, type Transport } from '../src/transport/transport.js';

class PrintingTransport extends BaseTransport implements Transport {
  readonly name = 'memory' as const;
  readonly endpoint = 'bench';
  constructor() {
    super();
    this.setState('ready');
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async sendText(_chatId: string, text: string): Promise<void> {
    process.stdout.write(`S ${text}\n`);
  }
  async sendDocument(_chatId: string, _document: OutgoingDocument): Promise<void> {}
  async sendImage(_chatId: string, _image: OutgoingImage): Promise<void> {}
}

const [url, claimTimeoutMs] = process.argv.slice(2);
const db = await PostgresDb.open(url!, { max: 2 });
const log = pino({ level: 'silent' });
const outbox = new Outbox(db, new PrintingTransport(), new KillSwitch(db, log), log, {
  ...DEFAULT_SETTINGS,
  pacing: NO_PACING,
  claimTimeoutMs: Number(claimTimeoutMs ?? 120_000),
});
for (;;) {
  await outbox.drain();
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox WHERE endpoint = 'bench' AND status IN ('pending', 'sending')`,
  );
  if (rows[0]!.n === 0) break;
  await new Promise((r) => setTimeout(r, 100));
}
await db.close();
