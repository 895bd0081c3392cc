/**
 * The HTTP face of `cicero start` (when CICERO_HTTP_PORT is set): `/healthz` for
 * monitors and `/` with the pairing QR code for servers without a terminal.
 */
import { createServer, type Server } from 'node:http';
import QRCode from 'qrcode';
import type { Bot } from '../bot/bot.js';
import type { OutboxStats } from '../outbox/store.js';
import { LATE, within } from '../time/within.js';

export interface Health {
  whatsapp: string;
  /** `ok`, or `unavailable` when the database did not answer (the outbox figures are then null). */
  database: 'ok' | 'unavailable';
  outboxDepth: number | null;
  oldestPendingS: number | null;
  deadLetters: number | null;
  paused: boolean;
  lastMessageAt: string | null;
}

/** The oldest unsent message may wait this long before the bot counts as unhealthy. */
const MAX_PENDING_S = 300;
/** A monitor must get its answer quickly, even while the database hangs. */
const DATABASE_TIMEOUT_MS = 2_000;

/** The outbox figures, or null when the database does not answer in time (whatever the error: no details leave). */
async function outboxStats(bot: Bot): Promise<OutboxStats | null> {
  try {
    const stats = await within(bot.outbox.stats(), DATABASE_TIMEOUT_MS);
    return stats === LATE ? null : stats;
  } catch (error) {
    bot.services.log.warn({ err: error }, '/healthz: the database did not answer');
    return null;
  }
}

export async function health(bot: Bot): Promise<{ healthy: boolean; body: Health }> {
  const status = bot.services.status;
  const stats = await outboxStats(bot);
  const body: Health = {
    whatsapp: status.transport().state,
    database: stats ? 'ok' : 'unavailable',
    outboxDepth: stats?.depth ?? null,
    oldestPendingS: stats?.oldestPendingS ?? null,
    deadLetters: stats?.deadLetters ?? null,
    paused: bot.outbox.paused() !== null,
    lastMessageAt: status.lastMessageAt?.toISOString() ?? null,
  };
  const healthy =
    body.whatsapp === 'ready' && body.database === 'ok' && !body.paused && (body.oldestPendingS ?? 0) < MAX_PENDING_S;
  return { healthy, body };
}

const page = (title: string, content: string): string =>
  `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${title}</title><meta http-equiv="refresh" content="10"></head>` +
  `<body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;text-align:center">${content}</body></html>`;

export function startHttp(
  bot: Bot,
  pairing: () => string | null,
  options: { port: number; host: string },
): Promise<Server> {
  const server = createServer((req, res) => {
    const route = (req.url ?? '/').split('?')[0];
    (async () => {
      if (route === '/healthz') {
        const { healthy, body } = await health(bot);
        res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(body));
      } else if (route === '/') {
        const qr = pairing();
        const state = bot.services.status.transport().state;
        const content = qr
          ? `<h1>Tautkan WhatsApp Cicero</h1><p>WhatsApp › Perangkat tertaut › Tautkan perangkat, lalu pindai:</p>${await QRCode.toString(qr, { type: 'svg', margin: 2 })}`
          : `<h1>Cicero</h1><p>WhatsApp: <b>${state}</b></p><p>Tidak ada QR yang menunggu dipindai.</p>`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(page('Cicero', content));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
      }
    })().catch((error: unknown) => {
      // The cause goes to the log; the answer says nothing an outsider could use.
      bot.services.log.error({ err: error, route }, 'HTTP request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}
