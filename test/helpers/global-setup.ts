/**
 * Runs once per test run: builds the CLI (tests drive the built `cicero` bin, as
 * users do) and prepares a migrated PGlite template that every test file loads
 * instead of creating and migrating its own database (0.5 s instead of 4 s).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/db/migrate.js';
import { PgliteDb } from '../../src/db/pglite.js';
import { packageRoot } from '../../src/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  execFileSync(process.execPath, [path.join(packageRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: packageRoot,
    stdio: 'inherit',
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cicero-test-template-'));
  const db = await PgliteDb.open();
  await migrate(db);
  const file = path.join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await (await db.dump()).arrayBuffer()));
  await db.close();
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
