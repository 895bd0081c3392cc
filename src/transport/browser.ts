/** Finds the Chromium/Chrome that whatsapp-web.js drives. */
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Browsers installed by `npx puppeteer browsers install chrome` (~/.cache/puppeteer). */
function puppeteerCache(home: string): string[] {
  const root = path.join(home, '.cache', 'puppeteer', 'chrome');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .reverse()
    .map((version) => path.join(root, version, 'chrome-linux64', 'chrome'));
}

export const NO_BROWSER_HELP =
  'no Chromium or Chrome found for WhatsApp: install one with `apt-get install chromium` ' +
  '(or `npx puppeteer browsers install chrome`), or set CHROME_PATH to its executable';

export type BrowserSearch = { found: string } | { problem: string };

/** The browser to use: `chromePath` (CHROME_PATH) when set, else one on PATH, else puppeteer's download. */
export function findBrowser(chromePath: string | undefined, env: NodeJS.ProcessEnv = process.env): BrowserSearch {
  if (chromePath) {
    return isExecutable(chromePath)
      ? { found: chromePath }
      : { problem: `CHROME_PATH ${chromePath} is not an executable file` };
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of NAMES) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return { found: candidate };
    }
  }
  const downloaded = puppeteerCache(env.HOME ?? os.homedir()).find(isExecutable);
  return downloaded ? { found: downloaded } : { problem: NO_BROWSER_HELP };
}
