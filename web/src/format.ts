// Number formatting for the page (SI prefixes from the library's own helper, percentages).

export { si } from "../../src/units.js";

export function percent(value: number | undefined, digits = 2): string {
  return value === undefined || !Number.isFinite(value) ? "–" : `${(value * 100).toFixed(digits)} %`;
}

export function fixed(value: number | undefined, digits = 4): string {
  return value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits);
}
