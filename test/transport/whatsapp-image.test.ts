/** Pictures through the WhatsApp adapter: the media and the options given to the library. */
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingDocument } from '../../src/transport/transport.js';
import type { WhatsAppTransport } from '../../src/transport/whatsapp.js';
import { emitSoon, fakeWhatsApp } from '../helpers/fake-wwebjs.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);

const started: WhatsAppTransport[] = [];
afterEach(async () => {
  for (const t of started.splice(0)) await t.stop();
});

async function ready() {
  const media: OutgoingDocument[] = [];
  const fake = fakeWhatsApp([emitSoon('ready')], {
    createMedia: async (doc) => {
      media.push(doc);
      return { media: doc.fileName };
    },
  });
  started.push(fake.transport);
  await fake.transport.start();
  return { transport: fake.transport, client: fake.clients[0]!, media };
}

describe('sending images', () => {
  it('sends a PNG as a picture: image/png media, the caption, and no sendMediaAsDocument', async () => {
    const { transport, client, media } = await ready();
    await transport.sendImage('6281@c.us', { fileName: 'grafik.png', data: PNG, caption: 'Grafik likes' });
    expect(media).toEqual([{ fileName: 'grafik.png', mimeType: 'image/png', data: PNG }]);
    expect(client.sent).toEqual([
      { chatId: '6281@c.us', content: { media: 'grafik.png' }, options: { caption: 'Grafik likes', linkPreview: false, sendSeen: false } },
    ]);
    expect(client.seen).toEqual([]);
  });

  it('sends an image without a caption with no caption option, and keeps a MIME it is given', async () => {
    const { transport, client, media } = await ready();
    await transport.sendImage('120363111111111111@g.us', { fileName: 'foto.jpg', mimeType: 'image/jpeg', data: PNG });
    expect(media.map((m) => m.mimeType)).toEqual(['image/jpeg']);
    expect(client.sent).toEqual([
      { chatId: '120363111111111111@g.us', content: { media: 'foto.jpg' }, options: { linkPreview: false, sendSeen: false } },
    ]);
  });
});
