import { describe, expect, it } from 'vitest';
import { WaitingRoom } from '../../src/bot/waiting-room.js';
import { DatabaseUnavailableError } from '../../src/db/db.js';
import type { InboundMessage } from '../../src/transport/transport.js';
import { silentLog } from '../helpers/bot.js';

const message = (id: string, chatId: string): InboundMessage => ({
  id,
  chatId,
  senderId: chatId,
  isGroup: false,
  text: id,
  timestamp: new Date(0),
});

/** A room whose database is up or away as the test says, recording what it handled. */
function room(concurrency: number) {
  const state = { up: false, failOn: new Set<string>() };
  const handled: string[] = [];
  const told: string[] = [];
  const waiting = new WaitingRoom({
    max: 10,
    noticeAfterMs: 1_000,
    probeEveryMs: 1_000,
    concurrency,
    probe: async () => {
      if (!state.up) throw new DatabaseUnavailableError('away');
    },
    handle: async (m) => {
      if (!state.up || state.failOn.has(m.id)) {
        state.up = false;
        throw new DatabaseUnavailableError('away again');
      }
      handled.push(m.id);
      // Arriving while the backlog is handled: it queues behind it.
      if (m.id === 'a1') waiting.hold(message('a9', 'a'));
    },
    tell: (chatId) => told.push(chatId),
    now: () => 0,
    log: silentLog,
  });
  waiting.pause(); // the test runs the rounds
  return { waiting, state, handled, told };
}

describe('waiting room', () => {
  it('keeps arrival order when the database goes away again half-way through the backlog', async () => {
    const { waiting, state, handled } = room(1);
    for (const [id, chat] of [['a1', 'a'], ['a2', 'a'], ['b1', 'b'], ['a3', 'a']] as const) waiting.hold(message(id, chat));
    waiting.pause();
    await waiting.tick(); // still away
    expect(handled).toEqual([]);

    state.up = true;
    state.failOn.add('a2');
    await waiting.tick();
    expect(handled).toEqual(['a1']); // away again at a2: b1 waits too
    expect(waiting.holding()).toBe(true);
    expect(waiting.size()).toBe(4); // a2, b1, a3, and a9 that arrived meanwhile

    state.up = true;
    state.failOn.clear();
    await waiting.tick();
    // Each chat in order, a9 (which arrived during the first try) after everything of its chat held before it.
    expect(handled.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a9']);
    expect(handled.filter((id) => id.startsWith('b'))).toEqual(['b1']);
    expect(waiting.holding()).toBe(false);
  });

  it('handles several chats side by side, each in order', async () => {
    const { waiting, state, handled } = room(8);
    for (const [id, chat] of [['a1', 'a'], ['b1', 'b'], ['a2', 'a'], ['c1', 'c'], ['b2', 'b']] as const) waiting.hold(message(id, chat));
    waiting.pause();
    state.up = true;
    await waiting.tick();
    const of = (chat: string) => handled.filter((id) => id.startsWith(chat));
    expect(of('a')).toEqual(['a1', 'a2', 'a9']);
    expect(of('b')).toEqual(['b1', 'b2']);
    expect(of('c')).toEqual(['c1']);
  });
});
