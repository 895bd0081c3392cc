/** Receiving through the WhatsApp adapter: which messages are commands, LIDs, the catch-up and "seen". */
import { afterEach, describe, expect, it } from 'vitest';
import type { Disposition } from '../../src/transport/transport.js';
import { toInbound, type WhatsAppTransport } from '../../src/transport/whatsapp.js';
import { emitSoon, fakeChat, fakeWhatsApp, waMessage } from '../helpers/fake-wwebjs.js';

const started: WhatsAppTransport[] = [];
afterEach(async () => {
  for (const t of started.splice(0)) await t.stop();
});

async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

const GROUP = '120363111111111111@g.us';

describe('toInbound', () => {
  it('reads text, and the caption of media, as the message text', () => {
    expect(toInbound(waMessage({ from: '6281@c.us', body: 'whoami' }))).toMatchObject({ text: 'whoami', isGroup: false });
    expect(toInbound(waMessage({ from: '6281@c.us', type: 'image', body: 'absensilikes#X' }))).toMatchObject({ text: 'absensilikes#X' });
    expect(toInbound(waMessage({ from: '6281@c.us', body: 'x' }))).not.toHaveProperty('kind');
  });

  it.each(['ptt', 'audio', 'sticker', 'image', 'video', 'document', 'location', 'vcard'])(
    'a %s without text is unreadable (the bot answers it in a private chat with one line)',
    (type) => {
      expect(toInbound(waMessage({ from: '6281@c.us', type, body: '' }))).toMatchObject({ kind: 'unreadable', text: '' });
    },
  );

  it.each(['e2e_notification', 'notification_template', 'call_log', 'gp2', 'protocol', 'revoked', 'ciphertext', 'reaction', 'poll_creation'])(
    'ignores %s (system notices and the like arrive with an empty body)',
    (type) => {
      expect(toInbound(waMessage({ from: '6281@c.us', type, body: '' }))).toBeNull();
    },
  );

  it('ignores status updates, its own messages and a group message without an author; the author is a group’s sender', () => {
    expect(toInbound(waMessage({ from: 'status@broadcast', isStatus: true }))).toBeNull();
    expect(toInbound(waMessage({ from: '6281@c.us', fromMe: true }))).toBeNull();
    expect(toInbound(waMessage({ from: GROUP }))).toBeNull();
    expect(toInbound(waMessage({ from: GROUP, author: '555555555555555@lid' }))).toMatchObject({
      chatId: GROUP,
      senderId: '555555555555555@lid',
      isGroup: true,
    });
  });
});

describe('receiving', () => {
  it('hands messages in without asking WhatsApp anything; phoneOfLid asks only when called, and an unknown LID is null', async () => {
    const fake = fakeWhatsApp([emitSoon('ready')]);
    started.push(fake.transport);
    await fake.transport.start();
    const c = fake.clients[0]!;
    c.lids.set('444444444444444@lid', '6281300000003@c.us');
    c.emit('message', waMessage({ from: '444444444444444@lid', body: 'status' }));
    c.emit('message', waMessage({ from: GROUP, author: '555555555555555@lid', body: 'ngobrol' }));
    await settle();
    expect(fake.inbound.map((m) => m.senderId)).toEqual(['444444444444444@lid', '555555555555555@lid']);
    expect(c.lidQuestions).toEqual([]);
    expect(await fake.transport.phoneOfLid('444444444444444@lid')).toBe('6281300000003@c.us');
    expect(await fake.transport.phoneOfLid('999999999999999@lid')).toBeNull();
  });

  it('groupName gives the name WhatsApp shows, and null for a chat it does not know', async () => {
    const fake = fakeWhatsApp([emitSoon('ready')]);
    started.push(fake.transport);
    await fake.transport.start();
    fake.clients[0]!.chatNames.set(GROUP, 'Grup Rekap Polres ABC');
    expect(await fake.transport.groupName(GROUP)).toBe('Grup Rekap Polres ABC');
    expect(await fake.transport.groupName('120363000000000000@g.us')).toBeNull();
  });

  it('marks a chat seen after its message was handled, not for ignored chatter or a held message', async () => {
    const fake = fakeWhatsApp([emitSoon('ready')]);
    started.push(fake.transport);
    let next: Disposition = 'handled';
    fake.transport.onMessage(async () => next);
    await fake.transport.start();
    const c = fake.clients[0]!;
    c.emit('message', waMessage({ from: '6281@c.us', body: 'help' }));
    await settle();
    next = 'held';
    c.emit('message', waMessage({ from: '6282@c.us', body: 'help' }));
    await settle();
    next = 'ignored';
    c.emit('message', waMessage({ from: GROUP, author: '6283@c.us', body: 'ngobrol' }));
    await settle();
    expect(c.seen).toEqual(['6281@c.us']);
  });
});

describe('seen marks cover the whole chat', () => {
  it('are not made while another message of the chat is being handled, nor for a chat with a held message until a catch-up reads it again', async () => {
    const fake = fakeWhatsApp([emitSoon('ready')]);
    started.push(fake.transport);
    const releases: Array<() => void> = [];
    fake.transport.onMessage(async (m) => {
      if (m.text === 'slow') await new Promise<void>((resolve) => releases.push(resolve));
      return m.text === 'tahan' ? 'held' : 'handled';
    });
    await fake.transport.start();
    const c = fake.clients[0]!;
    c.emit('message', waMessage({ from: '6281@c.us', body: 'slow' }));
    c.emit('message', waMessage({ from: '6281@c.us', body: 'cepat' }));
    await settle();
    expect(c.seen).toEqual([]); // 'cepat' is done, but 'slow' of the same chat is not
    releases.shift()!();
    await settle();
    expect(c.seen).toEqual(['6281@c.us']);

    c.emit('message', waMessage({ from: '6282@c.us', body: 'tahan' }));
    await settle();
    c.emit('message', waMessage({ from: '6282@c.us', body: 'help' }));
    await settle();
    expect(c.seen).toEqual(['6281@c.us']); // 6282 keeps its held message unread
    // The next ready reads the chat again; now that everything was taken, it is seen.
    c.chats = [fakeChat('6282@c.us', [waMessage({ from: '6282@c.us', body: 'help' })])];
    c.emit('ready');
    await settle(20);
    expect(c.seen).toEqual(['6281@c.us', '6282@c.us']);
  });
});

describe('catch-up after ready', () => {
  it('reads up to 100 unread messages of a private chat (all someone wrote to the bot)', async () => {
    const chat = fakeChat('6281@c.us', Array.from({ length: 150 }, (_, i) => waMessage({ from: '6281@c.us', body: `pesan ${i}` })));
    const fake = fakeWhatsApp([
      async (c) => {
        c.chats = [chat];
        setImmediate(() => c.becomeReady());
      },
    ]);
    started.push(fake.transport);
    await fake.transport.start();
    await settle(20);
    expect(chat.asked).toEqual([{ limit: 100, fromMe: false }]);
    expect(fake.inbound).toHaveLength(100);
  });

  it('reads only others’ unread messages, up to 20 a chat, and marks each chat seen once all were taken', async () => {
    const mine = (from: string) => waMessage({ from, fromMe: true, body: 'balasan bot' });
    const privateChat = fakeChat('6281@c.us', [waMessage({ from: '6281@c.us', body: 'help' }), mine('6281@c.us'), waMessage({ from: '6281@c.us', body: 'whoami' })], 2);
    const busyGroup = fakeChat(
      GROUP,
      Array.from({ length: 30 }, (_, i) => waMessage({ from: GROUP, author: '6283@c.us', body: `obrolan ${i}` })),
    );
    const readChat = fakeChat('6289@c.us', [waMessage({ from: '6289@c.us' })], 0);
    const fake = fakeWhatsApp([
      async (c) => {
        c.chats = [privateChat, busyGroup, readChat];
        setImmediate(() => c.becomeReady());
      },
    ]);
    started.push(fake.transport);
    await fake.transport.start();
    await settle(20);
    const c = fake.clients[0]!;
    expect(privateChat.asked).toEqual([{ limit: 2, fromMe: false }]);
    expect(busyGroup.asked).toEqual([{ limit: 20, fromMe: false }]);
    expect(readChat.asked).toEqual([]);
    expect(fake.inbound.filter((m) => !m.isGroup).map((m) => m.text)).toEqual(['help', 'whoami']);
    expect(fake.inbound.filter((m) => m.isGroup)).toHaveLength(20);
    expect(c.seen).toEqual(['6281@c.us', GROUP]);
  });

  it('leaves a chat unread when one of its messages is held (the database was away): the next start reads it again', async () => {
    const chat = fakeChat('6281@c.us', [waMessage({ from: '6281@c.us', body: 'help' }), waMessage({ from: '6281@c.us', body: 'whoami' })]);
    const fake = fakeWhatsApp([
      async (c) => {
        c.chats = [chat];
        setImmediate(() => c.becomeReady());
      },
    ]);
    started.push(fake.transport);
    fake.transport.onMessage(async (m) => (m.text === 'whoami' ? 'held' : 'handled'));
    await fake.transport.start();
    await settle(20);
    expect(fake.inbound).toHaveLength(2);
    expect(fake.clients[0]!.seen).toEqual([]);
  });
});
