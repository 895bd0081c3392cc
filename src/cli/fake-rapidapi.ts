/**
 * `cicero fake-rapidapi`: serves the stand-in RapidAPI locally, so fetching can be
 * tried without internet or a subscription. Its key is not a secret: it is printed.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig, loadDotenv } from '../config.js';
import { FAKE_RAPIDAPI_KEY, startFakeRapidApi } from '../rapidapi/fake-server.js';

function portOption(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65_535) throw new InvalidArgumentError('Expected a port number (0-65535).');
  return Number(value);
}

export function registerFakeRapidApi(program: Command): void {
  program
    .command('fake-rapidapi')
    .description(
      'serve a local stand-in for the Instagram and TikTok RapidAPI services (generated posts and likers; ' +
        "the demo client's own posts for its accounts) until SIGINT/SIGTERM",
    )
    .option('--port <port>', 'port to listen on (0: any free port)', portOption, 8790)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--key <key>', 'the X-RapidAPI-Key it accepts', FAKE_RAPIDAPI_KEY)
    .action(async (options: { port: number; host: string; key: string }) => {
      loadDotenv();
      // The zone `cicero seed demo` used, so the demo client's post ids match the seed's.
      const { CICERO_TIMEZONE } = loadConfig(['CICERO_TIMEZONE']);
      const server = await startFakeRapidApi({ port: options.port, host: options.host, key: options.key, timezone: CICERO_TIMEZONE });
      process.stdout.write(
        `Fake RapidAPI on ${server.url} — set RAPIDAPI_INSTAGRAM_URL=${server.url} RAPIDAPI_TIKTOK_URL=${server.url} RAPIDAPI_KEY=${server.key}\n`,
      );
      await new Promise<void>((resolve) => {
        for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => resolve());
      });
      await server.close();
    });
}
