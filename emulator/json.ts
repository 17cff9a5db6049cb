// JSON values as the emulator stores them. Every number read from a request is a LosslessNumber
// that keeps the exact digits it was sent with, so stored records serialise byte-identically.
import { isLosslessNumber, parse, stringify } from 'lossless-json';
import type { LosslessNumber } from 'lossless-json';

export type JsonValue =
  null | boolean | number | string | LosslessNumber | JsonValue[] | JsonObject;

export interface JsonObject {
  [key: string]: JsonValue;
}

/** Parses JSON text without rounding numbers. Throws a SyntaxError with the position. */
export function parseJson(text: string): JsonValue {
  return parse(text) as JsonValue;
}

/** Serialises a value, writing each LosslessNumber with its original digits. */
export function stringifyJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

export function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value)
  );
}

export function isJsonNumber(value: unknown): value is number | LosslessNumber {
  return (typeof value === 'number' && Number.isFinite(value)) || isLosslessNumber(value);
}

/**
 * Converts a JSON integer to a JS number. Returns undefined for fractions, for values outside
 * the safe integer range and for anything that is not a number.
 */
export function toSafeInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (!isLosslessNumber(value) || !/^-?\d+$/.test(value.value)) return undefined;
  const result = Number(value.value);
  return Number.isSafeInteger(result) ? result : undefined;
}

/**
 * Deep-copies a JSON value. LosslessNumber instances are shared because nothing mutates them,
 * and structuredClone would drop their class.
 */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  if (isJsonObject(value)) {
    const copy: JsonObject = {};
    for (const [key, item] of Object.entries(value)) copy[key] = cloneJson(item);
    return copy as T;
  }
  return value;
}
