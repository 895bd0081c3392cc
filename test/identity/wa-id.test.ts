import { describe, expect, it } from 'vitest';
import { canonicalLid, canonicalPhone, parseWaIdentity, phoneChatId } from '../../src/identity/wa-id.js';

describe('canonicalPhone', () => {
  it.each([
    ['0812-3456-7890', '6281234567890'],
    ['+62 812 3456 7890', '6281234567890'],
    ['6281234567890', '6281234567890'],
    ['6281234567890@c.us', '6281234567890'],
    ['6281234567890@s.whatsapp.net', '6281234567890'],
    ['6281234567890:12@s.whatsapp.net', '6281234567890'],
    ['(0812) 3456.7890', '6281234567890'],
    ['0062 812 3456 7890', '6281234567890'],
    ['+1 (415) 555-2671', '14155552671'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalPhone(input)).toBe(expected);
  });

  it.each(['', 'abc', '12345', '0812abc', '+0812345678', '1234567890123456789', '62812@g.us', '123@lid'])(
    'rejects %j',
    (input) => {
      expect(canonicalPhone(input)).toBeNull();
    },
  );
});

describe('canonicalLid', () => {
  it('keeps the digits, drops a device suffix and normalises case', () => {
    expect(canonicalLid('123456789012345@lid')).toBe('123456789012345@lid');
    expect(canonicalLid(' 123456789012345:7@LID ')).toBe('123456789012345@lid');
    expect(canonicalLid('6281234567890@c.us')).toBeNull();
  });
});

describe('parseWaIdentity', () => {
  it('tells phones from LIDs', () => {
    expect(parseWaIdentity('0812 3456 7890')).toEqual({ kind: 'phone', phone: '6281234567890' });
    expect(parseWaIdentity('99887766554433@lid')).toEqual({ kind: 'lid', lid: '99887766554433@lid' });
    expect(parseWaIdentity('nobody')).toBeNull();
    expect(phoneChatId('6281234567890')).toBe('6281234567890@c.us');
  });
});
