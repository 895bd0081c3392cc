/** Sending through the WhatsApp adapter: options, acks, LIDs and a page that is gone. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isRestriction } from '../../src/outbox/outbox.js';
import { TransportUnavailableError } from '../../src/transport/transport.js';
import { SendRefusedError } from '../../src/transport/wa-errors.js';
import type { WhatsAppTransport } from '../../src/transport/whatsapp.js';
import { clientOptions } from '../../src/transport/wwebjs.js';
import { emitSoon, fakeWhatsApp } from '../helpers/fake-wwebjs.js';

const started: WhatsAppTransport[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const t of started.splice(0)) await t.stop();
});

async function ready(extra: Parameters<typeof fakeWhatsApp>[1] = {}) {
  const fake = fakeWhatsApp([emitSoon('ready')], extra);
  started.push(fake.transport);
  await fake.transport.start();
  return { ...fake, client: fake.clients[0]! };
}

describe('sending', () => {
  it('sends text and documents without link previews and without marking the chat seen', async () => {
    const { transport, client } = await ready();
    await transport.sendText('120363111111111111@g.us', 'halo https://instagram.com/p/x');
    await transport.sendDocument('6281@c.us', { fileName: 'rekap.xlsx', mimeType: 'application/x', data: Buffer.from('x'), caption: 'Rekap' });
    expect(client.sent).toEqual([
      { chatId: '120363111111111111@g.us', content: 'halo https://instagram.com/p/x', options: { linkPreview: false, sendSeen: false } },
      {
        chatId: '6281@c.us',
        content: { media: 'rekap.xlsx' },
        options: { sendMediaAsDocument: true, caption: 'Rekap', linkPreview: false, sendSeen: false },
      },
    ]);
    expect(client.seen).toEqual([]);
  });

  it('refuses while not ready, as a connection that is not there (no attempt spent)', async () => {
    const fake = fakeWhatsApp([emitSoon('qr', 'x')]);
    started.push(fake.transport);
    await fake.transport.start();
    const sending = fake.transport.sendText('6281@c.us', 'halo');
    await expect(sending).rejects.toThrow(TransportUnavailableError);
    await expect(sending).rejects.toThrow('WhatsApp is not ready (pairing)');
  });

  it('a refusal that arrives after sendMessage resolved (ack -1) fails the send as a restriction', async () => {
    const { transport, client } = await ready();
    client.sendScript.push('refuse');
    const sending = transport.sendText('6281300000003@c.us', 'halo');
    await expect(sending).rejects.toThrow(SendRefusedError);
    await expect(sending).rejects.toSatisfy(isRestriction);
  });

  it('an ack that overtakes sendMessage’s result still counts', async () => {
    const { transport, client } = await ready();
    client.sendScript.push('ack-first');
    await expect(transport.sendText('6281@c.us', 'halo')).resolves.toBeUndefined();
  });

  it('a message WhatsApp has not confirmed within the wait counts as sent (sending again would duplicate it)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { transport, client } = await ready({ ackWaitMs: 10_000 });
    client.sendScript.push('pending');
    let done = false;
    const sending = transport.sendText('6281@c.us', 'halo').then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sending;
    expect(done).toBe(true);
  });

  it('a refusal that comes after the wait (the send was counted) still pauses: a "refused" restriction', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { transport, client, restrictions } = await ready({ ackWaitMs: 10_000 });
    client.sendScript.push('pending', 'pending');
    const first = transport.sendText('6281300000003@c.us', 'halo');
    await vi.advanceTimersByTimeAsync(10_000);
    await first;
    client.emit('message_ack', client.messages[0], 1); // a late acceptance changes nothing
    const second = transport.sendText('6281300000004@c.us', 'halo');
    await vi.advanceTimersByTimeAsync(10_000);
    await second;
    client.emit('message_ack', client.messages[1], -1);
    expect(restrictions).toEqual([{ kind: 'refused', chatId: '6281300000004@c.us' }]);
  });

  it('a send still waiting for its ack when the browser dies never left: it waits for the reconnect (no attempt spent)', async () => {
    const { transport, client } = await ready({ ackWaitMs: 10_000 });
    client.sendScript.push('pending');
    const sending = transport.sendText('6281@c.us', 'halo');
    await new Promise((resolve) => setImmediate(resolve));
    client.crash();
    await expect(sending).rejects.toThrow(TransportUnavailableError);
  });

  it('a chat the library cannot open (sendMessage gives back nothing) is a failed send, not a sent one', async () => {
    const { transport, client } = await ready();
    client.sendScript.push('no-chat');
    await expect(transport.sendText('6281@c.us', 'halo')).rejects.toThrow('WhatsApp could not open the chat 6281@c.us');
  });

  it('"No LID for user": looks the number’s LID up and sends there, once', async () => {
    const { transport, client } = await ready();
    client.lids.set('444444444444444@lid', '6281300000003@c.us');
    client.sendScript.push(new Error('No LID for user'));
    await transport.sendText('6281300000003@c.us', 'halo');
    expect(client.lidQuestions).toEqual([['6281300000003@c.us']]);
    expect(client.sent.map((s) => s.chatId)).toEqual(['444444444444444@lid']);
  });

  it('"No LID for user" with no LID to find, or failing again via the LID, is a failed attempt', async () => {
    const { transport, client } = await ready();
    client.sendScript.push(new Error('No LID for user'));
    await expect(transport.sendText('6281399999999@c.us', 'halo')).rejects.toThrow('No LID for user: WhatsApp knows no account behind 6281399999999@c.us');
    client.lids.set('444444444444444@lid', '6281300000003@c.us');
    client.sendScript.push(new Error('No LID for user'), new Error('No LID for user'));
    await expect(transport.sendText('6281300000003@c.us', 'halo')).rejects.toThrow('No LID for user');
    expect(client.lidQuestions).toHaveLength(2);
  });

  it.each([
    'Protocol error (Runtime.callFunctionOn): Attempted to use detached Frame.',
    'Protocol error (Runtime.callFunctionOn): Target closed',
    'Protocol error (Runtime.callFunctionOn): Session closed. Most likely the page has been closed.',
    'Execution context was destroyed, most likely because of a navigation.',
  ])('"%s" from a send means the connection is lost: no attempt spent, and the adapter reconnects', async (text) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { transport, client, clients } = await ready();
    client.sendScript.push(new Error(text));
    await expect(transport.sendText('6281@c.us', 'halo')).rejects.toThrow(TransportUnavailableError);
    expect(transport.state()).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(100);
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(clients).toHaveLength(2);
    expect(transport.state()).toBe('ready');
  });

  it('a browser that died without telling (the library keeps saying ready) is found by the first send', async () => {
    const { transport, client } = await ready();
    client.crash({ browserEvent: false });
    expect(transport.state()).toBe('ready');
    await expect(transport.sendText('6281@c.us', 'halo')).rejects.toThrow(TransportUnavailableError);
    expect(transport.state()).toBe('disconnected');
  });
});

describe('the real client’s options', () => {
  it('turns puppeteer’s signal handlers off, adds extra Chromium flags, and runs the served WhatsApp Web version', () => {
    const options = clientOptions(
      { authDir: '/data/wwebjs', chromePath: '/usr/bin/chromium', extraArgs: ['--proxy-server=http://proxy:3128'] },
      'AUTH',
    );
    expect(options.puppeteer).toMatchObject({ handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, headless: true });
    expect((options.puppeteer as { args: string[] }).args).toContain('--proxy-server=http://proxy:3128');
    expect(options.webVersionCache).toEqual({ type: 'none' });
    expect(options).not.toHaveProperty('webVersion');
    expect(options).not.toHaveProperty('pairWithPhoneNumber');
  });

  it('pins a WhatsApp Web version on purpose, and pairs by phone when asked', () => {
    const options = clientOptions(
      {
        authDir: '/data/wwebjs',
        chromePath: '/usr/bin/chromium',
        pairingPhone: '6281100000099',
        webVersion: { version: '2.3000.1017054665', url: 'https://example.org/{version}.html' },
      },
      'AUTH',
    );
    expect(options.webVersion).toBe('2.3000.1017054665');
    expect(options.webVersionCache).toEqual({ type: 'remote', remotePath: 'https://example.org/{version}.html', strict: true });
    expect(options.pairWithPhoneNumber).toEqual({ phoneNumber: '6281100000099' });
  });
});
