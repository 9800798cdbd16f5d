// The timeline picture: one batch's work per resource (rows) over time, coloured by phase, as SVG
// markup. Self-contained (no imports, nothing from outside its body): the HTML report inlines it
// as source text, and the playground imports it.

export interface GanttChart {
  title: string;
  segments: { layer: number; phase: string; image: number; resource: string; start_s: number; end_s: number }[];
  /** Images drawn (one when images do not overlap: the batch's others repeat it before the updates). */
  images_shown: number;
  /** Seconds per batch on the critical path. */
  batch_s: number;
}

/**
 * SVG of each chart, one under the other: on the left the images' work, on the right the batch's
 * updates (they come once per batch, after every image), each on a time axis shared by all charts
 * (so the shorter schedule looks shorter).
 */
export function ganttSvg(charts: GanttChart[], width = 880): string {
  const COLORS: Record<string, string> = { forward: "#4e79a7", error: "#f28e2b", gradient: "#59a14f", update: "#e15759" };
  const rank = (r: string) => {
    const order = ["chip", "arrays", "feedback", "WG unit", "global buffer", "buffer", "dram", "update"];
    const base = order.findIndex((p) => r === p || r.startsWith(`${p} `));
    const n = Number(r.split(" ").pop());
    return (base < 0 ? order.length : base) * 1000 + (Number.isFinite(n) ? n : 0);
  };
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
  const si = (v: number) => {
    const steps: [number, string][] = [
      [1, "s"],
      [1e-3, "ms"],
      [1e-6, "µs"],
      [1e-9, "ns"],
    ];
    const [f, u] = steps.find(([f]) => Math.abs(v) >= f * 0.9995) ?? [1e-9, "ns"];
    return `${+(v / f).toPrecision(3)} ${u}`;
  };
  const left = 110;
  const gap = 24;
  const plot = width - left - 10 - gap;
  const imageW = plot * 0.62;
  const updateW = plot - imageW;
  const updateX = left + imageW + gap;
  const rowH = 16;
  // Each chart's updates start when its images' work ends; they are drawn from there.
  const split = charts.map((c) => {
    const images = c.segments.filter((s) => s.image >= 0);
    const updates = c.segments.filter((s) => s.image < 0);
    const from = updates.reduce((m, s) => Math.min(m, s.start_s), Number.POSITIVE_INFINITY);
    return { images, updates: updates.map((s) => ({ ...s, start_s: s.start_s - from, end_s: s.end_s - from })) };
  });
  const imageEnd = Math.max(1e-30, ...split.flatMap((c) => c.images.map((s) => s.end_s)));
  const updateEnd = Math.max(1e-30, ...split.flatMap((c) => c.updates.map((s) => s.end_s)));
  let y = 0;
  const parts: string[] = [];
  const axis = (x0: number, w: number, end: number, at: number) => {
    for (let k = 0; k <= 4; k++) {
      const t = (end * k) / 4;
      const anchor = k === 0 ? "start" : k === 4 ? "end" : "middle";
      parts.push(
        `<text x="${(x0 + (w * k) / 4).toFixed(2)}" y="${at}" font-size="10" text-anchor="${anchor}" fill="#555">${esc(si(t))}</text>`,
      );
    }
  };
  parts.push(`<text x="${left}" y="12" font-size="11" font-weight="bold">each image's work</text>`);
  parts.push(`<text x="${updateX}" y="12" font-size="11" font-weight="bold">the batch's updates (after the last image)</text>`);
  y = 18;
  charts.forEach((chart, c) => {
    const { images, updates } = split[c] as (typeof split)[number];
    const resources = [...new Set(chart.segments.map((s) => s.resource))].sort((a, b) => rank(a) - rank(b));
    const note =
      chart.images_shown === 1
        ? "one image drawn (the batch's others repeat it)"
        : `the batch's first ${chart.images_shown} images drawn (the others follow)`;
    parts.push(`<text x="0" y="${y + 13}" font-weight="bold" font-size="12">${esc(chart.title)}</text>`);
    parts.push(
      `<text x="0" y="${y + 27}" font-size="11" fill="#555">${esc(note)}; batch: ${esc(si(chart.batch_s))} on the critical path</text>`,
    );
    y += 34;
    resources.forEach((r, i) => {
      const top = y + i * rowH;
      parts.push(`<text x="${left - 6}" y="${top + 12}" font-size="11" text-anchor="end">${esc(r)}</text>`);
      parts.push(`<line x1="${left}" x2="${left + imageW}" y1="${top + rowH}" y2="${top + rowH}" stroke="#eee"/>`);
      parts.push(`<line x1="${updateX}" x2="${updateX + updateW}" y1="${top + rowH}" y2="${top + rowH}" stroke="#eee"/>`);
    });
    const bar = (s: GanttChart["segments"][number], x0: number, w0: number, end: number) => {
      const top = y + resources.indexOf(s.resource) * rowH + 2;
      const x = x0 + (s.start_s / end) * w0;
      const w = Math.max(0.5, ((s.end_s - s.start_s) / end) * w0);
      const label = `layer ${s.layer + 1} ${s.phase}${s.image >= 0 ? `, image ${s.image + 1}` : ""}: ${si(s.end_s - s.start_s)}`;
      parts.push(
        `<rect x="${x.toFixed(2)}" y="${top}" width="${w.toFixed(2)}" height="${rowH - 4}" fill="${COLORS[s.phase] ?? "#999"}" data-phase="${s.phase}" data-layer="${s.layer + 1}"><title>${esc(label)}</title></rect>`,
      );
      if (w > 14)
        parts.push(
          `<text x="${(x + w / 2).toFixed(2)}" y="${top + 10}" font-size="9" fill="#fff" text-anchor="middle">${s.layer + 1}</text>`,
        );
    };
    for (const s of images) bar(s, left, imageW, imageEnd);
    for (const s of updates) bar(s, updateX, updateW, updateEnd);
    y += resources.length * rowH + 10;
  });
  axis(left, imageW, imageEnd, y + 10);
  axis(updateX, updateW, updateEnd, y + 10);
  y += 18;
  Object.entries(COLORS).forEach(([phase, color], i) => {
    parts.push(`<rect x="${left + i * 90}" y="${y}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${left + i * 90 + 14}" y="${y + 9}" font-size="11">${phase}</text>`);
  });
  y += 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif">${parts.join("")}</svg>`;
}
