/** bcrypt on its own low-priority threads: real hashes and compares, the event loop's priority untouched. */
import { getPriority } from 'node:os';
import bcrypt from 'bcrypt';
import { describe, expect, it } from 'vitest';
import { BcryptThread } from '../../src/identity/bcrypt-thread.js';
import { engine, hashPassword, verifyPassword } from '../../src/identity/password.js';

describe('bcrypt threads', () => {
  it('hash and compare on the thread give real bcrypt results; a value that is not a hash compares false', async () => {
    const hash = await hashPassword('Kunci#Rahasia#2026', 4);
    expect(bcrypt.getRounds(hash)).toBe(4);
    expect(await bcrypt.compare('Kunci#Rahasia#2026', hash)).toBe(true);
    expect(await verifyPassword('Kunci#Rahasia#2026', hash)).toBe(true);
    expect(await verifyPassword('kunci#rahasia#2026', hash)).toBe(false);
    expect(await verifyPassword('Kunci#Rahasia#2026', 'bukan-hash')).toBe(false);
  });

  it('runs at nice 19 while the process itself keeps its priority', async () => {
    const before = getPriority();
    expect(await engine.priority()).toBe(process.platform === 'linux' ? 19 : before);
    expect(getPriority()).toBe(before);
  });

  it('a thread that dies fails its requests and the next request starts a new one', async () => {
    const thread = new BcryptThread();
    const hash = await thread.hash('sandi-rahasia', 4);
    const pending = thread.compare('sandi-rahasia', hash);
    const closing = thread.close();
    // Asked while the old thread is still going away: a new thread answers it.
    const next = thread.compare('sandi-rahasia', hash);
    await closing;
    await expect(pending).rejects.toThrow(/exited/);
    expect(await next).toBe(true);
    await thread.close();
  });
});
