import { describe, expect, it } from 'vitest';
import { parseCommand, splitArgs } from '../../src/bot/parse.js';

describe('parseCommand', () => {
  it.each([
    ['help', { name: 'help', rest: null }],
    ['  HELP  ', { name: 'help', rest: null }],
    ['AbsensiLikes#POLRESABC#akumulasi', { name: 'absensilikes', rest: 'POLRESABC#akumulasi' }],
    ['status#', { name: 'status', rest: '' }],
    [' whoami # x ', { name: 'whoami', rest: ' x' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each(['', '   ', '#', '###', '#help', 'halo apa kabar', 'a'.repeat(41), 'selamat pagi#pak'])('%j is not a command', (text) => {
    expect(parseCommand(text)).toBeNull();
  });
});

describe('splitArgs', () => {
  it('trims arguments and drops trailing empty ones', () => {
    expect(splitArgs(' POLRESABC # akumulasi #belum ', 3, false)).toEqual(['POLRESABC', 'akumulasi', 'belum']);
    expect(splitArgs('POLRESABC##', 3, false)).toEqual(['POLRESABC']);
    expect(splitArgs(null, 2, false)).toEqual([]);
    expect(splitArgs('', 2, false)).toEqual([]);
  });

  it('keeps # inside the last argument when the command asks for it', () => {
    expect(splitArgs('ABC#client_group#1203@g.us#x', 3, true)).toEqual(['ABC', 'client_group', '1203@g.us#x']);
    expect(splitArgs('ABC#client_group#1203@g.us#x', 3, false)).toEqual(['ABC', 'client_group', '1203@g.us', 'x']);
  });
});
