/** Columns padded to their widest cell, with a rule under the header. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] as number))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const PREFIXES: [number, string][] = [
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "k"],
  [1, ""],
  [1e-3, "m"],
  [1e-6, "µ"],
  [1e-9, "n"],
  [1e-12, "p"],
];

/** A value with an SI prefix and three significant digits: si(2.4e5, "Ω") = "240 kΩ". */
export function si(value: number, unit: string): string {
  if (value === 0) return `0 ${unit}`;
  const a = Math.abs(value);
  const [factor, prefix] = PREFIXES.find(([f]) => a >= f * 0.9995) ?? (PREFIXES[PREFIXES.length - 1] as [number, string]);
  return `${+(value / factor).toPrecision(3)} ${prefix}${unit}`;
}
