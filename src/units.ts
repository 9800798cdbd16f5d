// Numbers for people: an SI prefix and three significant digits. Browser-safe (the CLI, the
// report and the playground share it).

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

/** si(2.4e5, "Ω") = "240 kΩ", si(0.00835, "s") = "8.35 ms"; "–" for a missing or non-finite value. */
export function si(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  if (value === 0) return `0 ${unit}`;
  const a = Math.abs(value);
  const [factor, prefix] = PREFIXES.find(([f]) => a >= f * 0.9995) ?? (PREFIXES[PREFIXES.length - 1] as [number, string]);
  return `${+(value / factor).toPrecision(3)} ${prefix}${unit}`;
}
