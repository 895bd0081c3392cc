/** Library messages as ours: which ones are commands, which get the "text only" line, which are ignored. */
import type { InboundMessage } from './transport.js';
import type { WaMessage } from './wa-client.js';

/** Media whose caption is read as the message text. */
const CAPTIONED = new Set(['image', 'video', 'document', 'album']);
/** What a person sends that the bot cannot read: answered in a private chat with one line. */
const UNREADABLE = new Set(['ptt', 'audio', 'sticker', 'image', 'video', 'document', 'album', 'location', 'vcard', 'multi_vcard']);

/**
 * A library message as ours, or null for what the bot ignores: status updates, its own
 * messages, and system notices (e2e_notification, notification_template, call_log,
 * revoked, protocol, …) that arrive with an empty body.
 */
export function toInbound(message: WaMessage): InboundMessage | null {
  if (message.isStatus || message.broadcast || message.from === 'status@broadcast' || message.fromMe) return null;
  const isGroup = message.from.endsWith('@g.us');
  const senderId = isGroup ? message.author : message.from;
  if (!senderId) return null;
  const type = message.type ?? 'chat';
  const body = message.body ?? '';
  let kind: InboundMessage['kind'];
  if (type === 'chat' || (CAPTIONED.has(type) && body.trim() !== '')) kind = 'text';
  else if (UNREADABLE.has(type)) kind = 'unreadable';
  else return null;
  return {
    id: message.id._serialized,
    chatId: message.from,
    senderId,
    isGroup,
    text: kind === 'text' ? body : '',
    timestamp: new Date((message.timestamp ?? Date.now() / 1000) * 1000),
    ...(kind === 'unreadable' ? { kind } : {}),
  };
}
