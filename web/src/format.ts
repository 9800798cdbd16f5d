// Number formatting for the page (SI prefixes, percentages).

const PREFIXES: [number, string][] = [
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "k"],
  [1, ""],
  [1e-3, "m"],
  [1e-6, "µ"],
  [1e-9, "n"],
  [1e-12, "p"],
  [1e-15, "f"],
];

/** 0.00835 s → "8.35 ms". */
export function si(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  if (value === 0) return `0 ${unit}`;
  const a = Math.abs(value);
  const [factor, prefix] = PREFIXES.find(([f]) => a >= f * 0.9995) ?? (PREFIXES[PREFIXES.length - 1] as [number, string]);
  return `${+(value / factor).toPrecision(3)} ${prefix}${unit}`;
}

export function percent(value: number | undefined, digits = 2): string {
  return value === undefined || !Number.isFinite(value) ? "–" : `${(value * 100).toFixed(digits)} %`;
}

export function fixed(value: number | undefined, digits = 4): string {
  return value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits);
}
