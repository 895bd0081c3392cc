/**
 * Reading the services' JSON without trusting it: every field may be missing, null or
 * of another type, and a wrong type reads as absent rather than throwing.
 */
import { RapidApiError } from './errors.js';

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function arr(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return null;
}

export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  return null;
}

/** Unix seconds (or milliseconds, which some answers carry) to a Date. */
export function unixTime(value: unknown): Date | null {
  const n = num(value);
  if (n === null || n <= 0) return null;
  return new Date(n > 1e12 ? n : n * 1000);
}

/** A non-empty cursor or token; anything else means there is no next page. */
export function cursor(value: unknown): string | null {
  const s = str(value);
  return s && s !== '' ? s : null;
}

/** The answer's top-level object, or a `malformed` failure naming what was expected. */
export function top(body: unknown, what: string): Json {
  const o = obj(body);
  if (!o) throw new RapidApiError('malformed', `the answer for ${what} was not a JSON object`);
  return o;
}

/** A list the answer must hold; a `malformed` failure when it is not a list. */
export function list(value: unknown, what: string): unknown[] {
  const a = arr(value);
  if (!a) throw new RapidApiError('malformed', `the answer for ${what} held no list`);
  return a;
}
