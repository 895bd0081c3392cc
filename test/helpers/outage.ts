/**
 * A database that can be cut and restored: on PostgreSQL a TCP proxy in front of the
 * real server (connections are really severed), on PGlite a wrapper whose calls fail
 * the way a lost connection does.
 */
import net from 'node:net';
import type { Db, Executor } from '../../src/db/db.js';
import { PostgresDb } from '../../src/db/postgres.js';
import type { TestDatabase } from './db.js';

export interface Cuttable {
  db: Db;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

function connectionLost(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

export async function cuttableDatabase(test: TestDatabase, options: { poolMax?: number } = {}): Promise<Cuttable> {
  if (!test.url) {
    let down = false;
    const guard = <T>(fn: () => Promise<T>): Promise<T> => (down ? Promise.reject(connectionLost()) : fn());
    const inner = test.db;
    const wrap = (e: Executor): Executor => ({
      query: (text, params) => guard(() => e.query(text, params)),
      exec: (sql) => guard(() => e.exec(sql)),
    });
    const db: Db = {
      kind: inner.kind,
      ...wrap(inner),
      tx: (fn) => guard(() => inner.tx((t) => fn(wrap(t)))),
      session: (fn) => guard(() => inner.session((s) => fn({ query: (text, params) => guard(() => s.query(text, params)) }))),
      close: async () => {},
    };
    return { db, cut: () => (down = true), restore: () => (down = false), close: async () => {} };
  }

  const target = new URL(test.url);
  const sockets = new Set<net.Socket>();
  let down = false;
  const proxy = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = new URL(test.url);
  url.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  const db = await PostgresDb.open(url.toString(), { max: options.poolMax ?? 3 });
  return {
    db,
    cut: () => {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore: () => {
      down = false;
    },
    close: async () => {
      await db.close().catch(() => {});
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
