/**
 * The real whatsapp-web.js client and the Chromium behind it: how it is launched, and
 * how its browser process is found and killed when the library cannot close it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { OutgoingDocument } from './transport.js';
import type { WaClient } from './wa-client.js';

export interface WaClientSettings {
  authDir: string;
  chromePath: string;
  pairingPhone?: string;
  /** Extra Chromium flags (CICERO_CHROMIUM_ARGS), e.g. a proxy. */
  extraArgs?: readonly string[];
  /**
   * A WhatsApp Web version to pin (CICERO_WA_WEB_VERSION) and where its page is fetched
   * from; without it the client runs the version WhatsApp serves.
   */
  webVersion?: { version: string; url: string };
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The options given to whatsapp-web.js's Client (a function of its own so a test can read them). */
export function clientOptions(settings: WaClientSettings, auth: unknown): Record<string, unknown> {
  return {
    authStrategy: auth,
    // The library's local cache looks a page up under one version and saves it under
    // another, so it never hits and grows a file per WhatsApp Web release. Run what
    // WhatsApp serves, or a version pinned on purpose.
    ...(settings.webVersion
      ? {
          webVersion: settings.webVersion.version,
          webVersionCache: { type: 'remote', remotePath: settings.webVersion.url, strict: true },
        }
      : { webVersionCache: { type: 'none' } }),
    puppeteer: {
      executablePath: settings.chromePath,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(settings.extraArgs ?? [])],
      // Puppeteer's own handlers kill Chromium (and on SIGINT exit 130) before our
      // shutdown runs; `cicero start` handles the signals and closes the browser itself.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    },
    ...(settings.pairingPhone ? { pairWithPhoneNumber: { phoneNumber: settings.pairingPhone } } : {}),
  };
}

/** The real client. Imported lazily: tests and the console never load Chromium's library. */
export async function createWwebjsClient(settings: WaClientSettings): Promise<WaClient> {
  // whatsapp-web.js is CommonJS: named ESM imports type-check but fail at run time.
  const { default: wweb } = await import('whatsapp-web.js');
  const auth = new wweb.LocalAuth({ dataPath: settings.authDir });
  return new wweb.Client(clientOptions(settings, auth) as never) as unknown as WaClient;
}

export async function createWwebjsMedia(document: OutgoingDocument): Promise<unknown> {
  const { default: wweb } = await import('whatsapp-web.js');
  return new wweb.MessageMedia(document.mimeType, document.data.toString('base64'), document.fileName, document.data.length);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Kills a browser and its helpers. Puppeteer starts Chromium as the leader of its own
 * process group, so the group goes at once; the pid alone when there is no group.
 */
export function killBrowser(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Browsers still running on a profile under `authDir`, left by a process that died
 * without closing them (read from /proc; elsewhere nothing is found). While one lives
 * it holds the profile and every new launch on it fails.
 */
export function profileBrowsers(authDir: string): number[] {
  const marker = `--user-data-dir=${path.resolve(authDir)}${path.sep}`;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.some((arg) => arg.startsWith(marker))) pids.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}
