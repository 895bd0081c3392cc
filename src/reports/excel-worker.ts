/**
 * The thread that builds recap workbooks (see excel-thread.ts): a message with an id, a
 * recap and its meta in, the file's bytes (or the error's message) out.
 */
import { parentPort } from 'node:worker_threads';
import type { Recap } from '../compliance/recap.js';
import { recapWorkbook, type WorkbookMeta } from './excel.js';

export interface WorkbookJob {
  id: number;
  recap: Recap;
  meta: WorkbookMeta;
}

export type WorkbookResult = { id: number; data: Uint8Array } | { id: number; error: string };

parentPort?.on('message', async (job: WorkbookJob) => {
  let result: WorkbookResult;
  try {
    const file = await recapWorkbook(job.recap, job.meta);
    result = { id: job.id, data: new Uint8Array(file.buffer, file.byteOffset, file.byteLength) };
  } catch (error) {
    result = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  // The bytes are handed over, not copied, when the file owns its memory.
  const own = 'data' in result && result.data.byteOffset === 0 && result.data.byteLength === result.data.buffer.byteLength;
  parentPort?.postMessage(result, own && 'data' in result ? [result.data.buffer as ArrayBuffer] : []);
});
