import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskPhones } from '../src/log.js';
import type { LogLevel } from '../src/config.js';

function capture(level: LogLevel): { log: ReturnType<typeof createLogger>; lines: () => Array<Record<string, unknown>> } {
  const out: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      out.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ level, pretty: false, destination }), lines: () => out.map((l) => JSON.parse(l)) };
}

describe('logging', () => {
  it('masks phone numbers and LIDs in fields and messages at info level', () => {
    const { log, lines } = capture('info');
    log.info({ sender: '6281234567890@c.us', lid: '123456789012345@lid', nrp: '75070206' }, 'message from 6281234567890');
    const [line] = lines();
    expect(line).toMatchObject({
      level: 'info',
      sender: '6281******890@c.us',
      lid: '1234********345@lid',
      nrp: '75070206',
      msg: 'message from 6281******890',
    });
  });

  it('logs dates as ISO times, not as empty objects', () => {
    const { log, lines } = capture('info');
    log.info({ at: new Date('2026-12-02T08:00:00Z'), nested: { since: new Date('2026-12-01T00:00:00Z') } }, 'ran');
    expect(lines()[0]).toMatchObject({ at: '2026-12-02T08:00:00.000Z', nested: { since: '2026-12-01T00:00:00.000Z' } });
  });

  it('shows full numbers at debug level', () => {
    const { log, lines } = capture('debug');
    log.debug({ sender: '6281234567890@c.us' }, 'from 6281234567890');
    expect(lines()[0]).toMatchObject({ sender: '6281234567890@c.us', msg: 'from 6281234567890' });
  });

  it('never writes secrets, at any level', () => {
    for (const level of ['info', 'trace'] as const) {
      const { log, lines } = capture(level);
      log.info({ password: 'hunter2', user: { password_hash: '$2b$10$abc' }, DATABASE_URL: 'postgres://a:b@c/d' }, 'login');
      const text = JSON.stringify(lines());
      expect(text).not.toMatch(/hunter2|\$2b\$10|a:b@c/);
      expect(lines()[0]).toMatchObject({ password: '[redacted]', user: { password_hash: '[redacted]' } });
    }
  });

  it('masks only number runs long enough to be phones', () => {
    expect(maskPhones('NRP 75070206, WA 081234567890')).toBe('NRP 75070206, WA 0812*****890');
  });
});
