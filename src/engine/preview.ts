// Values quoted in error messages, bounded: a message names what was wrong without echoing a
// 100 MB string or a config nested 10,000 deep (whose JSON.stringify would overflow the stack).

/** At most `max` characters of JSON-like text for `value`, nested parts beyond depth 2 elided. */
export function preview(value: unknown, max = 60): string {
  if (typeof value === "string" && value.length > max)
    return `${JSON.stringify(value.slice(0, max)).slice(0, -1)}…" (${value.length.toLocaleString("en-US")} characters)`;
  const text = render(value, 0, max + 1);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function render(value: unknown, depth: number, budget: number): string {
  if (typeof value === "string") {
    const cut = value.length > budget ? `${value.slice(0, budget)}` : value;
    const quoted = JSON.stringify(cut);
    return value.length > budget ? `${quoted.slice(0, -1)}… (${value.length.toLocaleString("en-US")} characters)"` : quoted;
  }
  if (value === null || typeof value !== "object") {
    return value === undefined ? "undefined" : typeof value === "bigint" ? `${value}n` : (JSON.stringify(value) ?? String(value));
  }
  const array = Array.isArray(value);
  const entries = array ? (value as unknown[]).map((v) => [undefined, v] as const) : Object.entries(value as object);
  if (entries.length === 0) return array ? "[]" : "{}";
  if (depth >= 2) return array ? "[…]" : "{…}";
  const parts: string[] = [];
  let used = 2;
  for (const [k, v] of entries) {
    if (used > budget) {
      parts.push("…");
      break;
    }
    const item = (k === undefined ? "" : `${JSON.stringify(k)}:`) + render(v, depth + 1, budget - used);
    parts.push(item);
    used += item.length + 1;
  }
  // As JSON.stringify lays it out, so short values read exactly as JSON.
  return array ? `[${parts.join(",")}]` : `{${parts.join(",")}}`;
}

/** The candidate closest to `word` by edit distance, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const w = word.slice(0, 64).toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(Math.min(w.length, best.length) / 3)) ? best : undefined;
}

/** Edits (insert, delete, substitute, swap two neighbours) from a to b: a typo's distance. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array.from({ length: b.length }, (_, j) => (i === 0 ? j + 1 : 0)),
  ]);
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const above = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
