// The one JSON document --json prints: standard JSON (NaN and infinities become null, int64 values
// keep all their digits) on a single line.
import { type JsonValue, nonFiniteToNull, stringifyJson } from "../../model/json.js";

export function jsonDocument(value: unknown): string {
  return stringifyJson(nonFiniteToNull(value as JsonValue));
}
