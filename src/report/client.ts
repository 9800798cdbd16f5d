// The report page's script. It runs in the browser, inlined into report.html as source text
// (`reportClient.toString()`), so it must not use anything from outside its own body: it reads the
// data from the page's JSON block and draws with the Chart.js inlined before it.

// The chart library's configs are built dynamically; they are typed loosely.
// biome-ignore lint/suspicious/noExplicitAny: chart.js's configs are nested, dynamic objects built here
type Any = any;

export function reportClient(): void {
  const data: Any = JSON.parse((document.getElementById("report-data") as HTMLElement).textContent ?? "{}");
  const ChartLib: Any = (window as Any).Chart;
  const charts: Any[] = [];
  const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];
  const STACK = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

  const seriesOrder: string[] = [];
  for (const p of data.points) if (!seriesOrder.includes(p.series)) seriesOrder.push(p.series);
  const hexAlpha = (hex: string, alpha: number) => {
    const n = Number.parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  };
  const colorOf = (name: string, alpha = 1) => hexAlpha(PALETTE[Math.max(0, seriesOrder.indexOf(name)) % PALETTE.length] as string, alpha);

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
  const si = (value: number, unit: string) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return "–";
    if (value === 0) return `0 ${unit}`;
    const a = Math.abs(value);
    const found = PREFIXES.find(([f]) => a >= f * 0.9995) ?? PREFIXES[PREFIXES.length - 1];
    const [factor, prefix] = found as [number, string];
    return `${+(value / factor).toPrecision(3)} ${prefix}${unit}`;
  };

  const METRICS: Record<string, { label: string; get: (p: Any) => Any; scale: number; format: (v: number) => string }> = {
    accuracy: { label: "final test accuracy (%)", get: (p) => p.accuracy, scale: 100, format: (v) => `${v.toFixed(2)} %` },
    latency: { label: "chip latency per epoch (s)", get: (p) => p.latency, scale: 1, format: (v) => si(v, "s") },
    energy: { label: "chip energy per epoch (J)", get: (p) => p.energy, scale: 1, format: (v) => si(v, "J") },
    area: { label: "chip area (mm²)", get: (p) => p.area, scale: 1e6, format: (v) => `${v.toPrecision(3)} mm²` },
  };

  const el = (tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };

  const newChart = (parent: HTMLElement, title: string, config: Any, id: string): Any => {
    const box = el("figure", { class: "chart", "data-chart": id });
    box.appendChild(el("figcaption", {}, title));
    const holder = el("div", { class: "canvas-holder" });
    const canvas = el("canvas") as HTMLCanvasElement;
    holder.appendChild(canvas);
    box.appendChild(holder);
    parent.appendChild(box);
    config.options = config.options ?? {};
    config.options.animation = false;
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    const chart = new ChartLib(canvas, config);
    charts.push(chart);
    return chart;
  };

  /** Legend that hides band datasets and toggles a line together with its band. */
  const bandLegend = {
    labels: { filter: (item: Any, chartData: Any) => !chartData.datasets[item.datasetIndex]?.band },
    onClick: (_e: Any, item: Any, legend: Any) => {
      const chart = legend.chart;
      const name = chart.data.datasets[item.datasetIndex].label;
      const visible = !chart.isDatasetVisible(item.datasetIndex);
      chart.data.datasets.forEach((d: Any, i: number) => {
        if (d.label === name || d.band === name) chart.setDatasetVisibility(i, visible);
      });
      chart.update();
    },
  };
  const bandTooltip = (format: (v: number) => string) => ({
    filter: (item: Any) => !item.dataset.band,
    callbacks: {
      label: (ctx: Any) => {
        const s = ctx.dataset.spreads?.[ctx.dataIndex];
        const v = ctx.parsed.y;
        if (!s) return `${ctx.dataset.label}: ${format(v)}`;
        return `${ctx.dataset.label}: ${format(v)} (min ${format(s.min)}, max ${format(s.max)}, ${s.n} run${s.n > 1 ? "s" : ""})`;
      },
    },
  });
  /** Mean line with a min–max band: three datasets. */
  const withBand = (
    name: string,
    means: (number | null)[],
    mins: (number | null)[],
    maxs: (number | null)[],
    spreads: Any[],
    dashed = false,
  ) => [
    {
      label: `${name} (min)`,
      band: name,
      data: mins,
      borderWidth: 0,
      pointRadius: 0,
      pointHitRadius: 0,
      fill: false,
      borderColor: "transparent",
    },
    {
      label: `${name} (max)`,
      band: name,
      data: maxs,
      borderWidth: 0,
      pointRadius: 0,
      pointHitRadius: 0,
      fill: "-1",
      backgroundColor: colorOf(name, 0.15),
      borderColor: "transparent",
    },
    {
      label: name,
      data: means,
      spreads,
      borderColor: colorOf(name),
      backgroundColor: colorOf(name),
      borderDash: dashed ? [6, 4] : [],
      pointRadius: 3,
      fill: false,
      spanGaps: false,
    },
  ];

  const pointIndex = new Map<string, Any>();
  for (const p of data.points) pointIndex.set(`${p.part}|${p.steps.join(",")}`, p);

  const partsRoot = document.getElementById("parts") as HTMLElement;
  data.parts.forEach((part: Any, partNo: number) => {
    const section = (document.getElementById(`part-${partNo}`) as HTMLElement | null) ?? partsRoot.appendChild(el("section"));
    const controls = el("div", { class: "controls" });
    const grid = el("div", { class: "charts" });
    section.appendChild(controls);
    section.appendChild(grid);
    const dims: Any[] = part.dimensions;
    const algoDim: number = part.algoDimension;
    const selection: number[] = dims.map(() => 0);
    let metric = "accuracy";
    let split = "phases";

    const series: { name: string; step: number }[] =
      algoDim >= 0
        ? dims[algoDim].labels.map((name: string, step: number) => ({ name, step }))
        : [{ name: data.points[part.points[0]]?.series ?? "run", step: -1 }];
    const at = (seriesStep: number, override?: [number, number]) => {
      const steps = selection.slice();
      if (algoDim >= 0) steps[algoDim] = seriesStep;
      if (override) steps[override[0]] = override[1];
      return pointIndex.get(`${part.name}|${steps.join(",")}`);
    };
    const addSelect = (label: string, options: string[], onChange: (i: number) => void, name: string) => {
      const wrap = el("label", {}, `${label} `);
      const select = el("select", { "data-control": name }) as HTMLSelectElement;
      options.forEach((o, i) => {
        select.appendChild(el("option", { value: String(i) }, o));
      });
      select.addEventListener("change", () => {
        onChange(Number(select.value));
        update();
      });
      wrap.appendChild(select);
      controls.appendChild(wrap);
    };
    dims.forEach((d: Any, i: number) => {
      if (i !== algoDim && d.labels.length > 1) addSelect(d.label, d.labels, (v) => (selection[i] = v), `dim-${i}`);
    });
    const axisDims = dims.map((_: Any, i: number) => i).filter((i: number) => i !== algoDim && dims[i].labels.length > 1);
    if (axisDims.length > 0) {
      addSelect(
        "metric vs axis",
        Object.values(METRICS).map((m) => m.label),
        (v) => (metric = Object.keys(METRICS)[v] as string),
        "metric",
      );
    }
    addSelect("cost split", ["by phase", "by component"], (v) => (split = v === 0 ? "phases" : "components"), "split");

    const epochChart = newChart(
      grid,
      "Test accuracy vs epoch (mean over repeats, band: min–max)",
      {
        type: "line",
        data: { labels: [], datasets: [] },
        options: {
          plugins: { legend: bandLegend, tooltip: bandTooltip((v) => `${v.toFixed(2)} %`) },
          scales: { x: { title: { display: true, text: "epoch" } }, y: { title: { display: true, text: "test accuracy (%)" } } },
        },
      },
      `${part.name}:epochs`,
    );
    const alignmentChart = newChart(
      grid,
      "Update vs BP: angle between the rule's weight update and backpropagation's (degrees, mean over repeats and hidden layers; 90°: no information)",
      {
        type: "line",
        data: { labels: [], datasets: [] },
        options: {
          scales: {
            x: { title: { display: true, text: "epoch (0: untrained)" } },
            y: { min: 0, max: 120, title: { display: true, text: "degrees" } },
          },
        },
      },
      `${part.name}:alignment`,
    );
    const axisCharts = axisDims.map((d: number) => ({
      dim: d,
      chart: newChart(
        grid,
        `vs ${dims[d].label} (one line per algorithm, band: min–max over repeats)`,
        {
          type: "line",
          data: { labels: dims[d].labels, datasets: [] },
          options: {
            plugins: { legend: bandLegend, tooltip: bandTooltip((v) => String(v)) },
            scales: { x: { title: { display: true, text: dims[d].label } }, y: { title: { display: true, text: "" } } },
          },
        },
        `${part.name}:axis:${dims[d].id}`,
      ),
    }));
    const stacked = (title: string, id: string, yLabel: string, format: (v: number) => string) =>
      newChart(
        grid,
        title,
        {
          type: "bar",
          data: { labels: [], datasets: [] },
          options: {
            plugins: { tooltip: { callbacks: { label: (ctx: Any) => `${ctx.dataset.label}: ${format(ctx.parsed.y)}` } } },
            scales: {
              x: { stacked: true },
              y: { stacked: true, title: { display: true, text: yLabel }, ticks: { callback: (v: number) => format(v) } },
            },
          },
        },
        id,
      );
    const areaChart = stacked("Chip area breakdown per algorithm", `${part.name}:area`, "area (mm²)", (v) => `${+v.toPrecision(3)} mm²`);
    const latencyChart = stacked(
      "Latency per epoch, per algorithm and schedule (stacked by phase or component)",
      `${part.name}:latency`,
      "latency per epoch",
      (v) => si(v, "s"),
    );
    const energyChart = stacked(
      "Energy per epoch, per algorithm and schedule (stacked by phase or component)",
      `${part.name}:energy`,
      "energy per epoch",
      (v) => si(v, "J"),
    );

    function update(): void {
      // Accuracy vs epoch.
      let epochs = 0;
      const epochSets: Any[] = [];
      for (const s of series) {
        const p = at(s.step);
        if (!p || p.epochs.mean.length === 0) continue;
        epochs = Math.max(epochs, p.epochs.mean.length);
        const pct = (a: number[]) => a.map((v) => v * 100);
        const spreads = p.epochs.mean.map((m: number, i: number) => ({
          mean: m * 100,
          min: p.epochs.min[i] * 100,
          max: p.epochs.max[i] * 100,
          n: p.ok,
        }));
        epochSets.push(...withBand(s.name, pct(p.epochs.mean), pct(p.epochs.min), pct(p.epochs.max), spreads));
      }
      epochChart.data.labels = Array.from({ length: epochs }, (_, i) => String(i + 1));
      epochChart.data.datasets = epochSets;
      epochChart.update();

      // Alignment vs epoch.
      let alignEpochs = 0;
      const alignSets: Any[] = [];
      for (const s of series) {
        const p = at(s.step);
        if (!p?.alignmentEpochs) continue;
        alignEpochs = Math.max(alignEpochs, p.alignmentEpochs.length);
        alignSets.push({
          label: s.name,
          data: p.alignmentEpochs,
          borderColor: colorOf(s.name),
          backgroundColor: colorOf(s.name),
          pointRadius: 2,
        });
      }
      alignmentChart.data.labels = Array.from({ length: alignEpochs }, (_, i) => String(i));
      alignmentChart.data.datasets = alignSets;
      alignmentChart.update();

      // Metric vs each axis.
      const m = METRICS[metric] as (typeof METRICS)[string];
      for (const { dim, chart } of axisCharts) {
        const sets: Any[] = [];
        for (const s of series) {
          const spreads = dims[dim].labels.map((_: string, step: number) => {
            const p = at(s.step, [dim, step]);
            const v = p ? m.get(p) : undefined;
            return v ? { mean: v.mean * m.scale, min: v.min * m.scale, max: v.max * m.scale, n: v.n } : null;
          });
          if (spreads.every((x: Any) => x === null)) continue;
          sets.push(
            ...withBand(
              s.name,
              spreads.map((x: Any) => x?.mean ?? null),
              spreads.map((x: Any) => x?.min ?? null),
              spreads.map((x: Any) => x?.max ?? null),
              spreads,
            ),
          );
        }
        chart.data.datasets = sets;
        chart.options.scales.y.title.text = m.label;
        chart.options.plugins.tooltip = bandTooltip(m.format);
        chart.options.scales.y.ticks = { callback: (v: number) => (metric === "latency" || metric === "energy" ? m.format(v) : v) };
        chart.update();
      }

      // Area breakdown.
      const present = series.map((s) => ({ s, p: at(s.step) })).filter((x) => x.p?.areaBreakdown);
      const areaKeys: string[] = [];
      for (const x of present) for (const k of Object.keys(x.p.areaBreakdown)) if (!areaKeys.includes(k)) areaKeys.push(k);
      areaChart.data.labels = present.map((x) => x.s.name);
      areaChart.data.datasets = areaKeys.map((k, i) => ({
        label: k,
        data: present.map((x) => (x.p.areaBreakdown[k] ?? 0) * 1e6),
        backgroundColor: STACK[i % STACK.length],
      }));
      areaChart.update();

      // Latency and energy per phase or component.
      const bars: { label: string; cost: Any }[] = [];
      for (const s of series) {
        const p = at(s.step);
        if (!p) continue;
        for (const [schedule, cost] of Object.entries(p.costs)) bars.push({ label: `${s.name} · ${schedule}`, cost });
      }
      for (const [chart, key] of [
        [latencyChart, "latency_s"],
        [energyChart, "energy_j"],
      ] as [Any, string][]) {
        const parts: string[] = [];
        for (const b of bars) for (const k of Object.keys(b.cost[split])) if (!parts.includes(k)) parts.push(k);
        const used = parts.filter((k) => bars.some((b) => (b.cost[split][k]?.[key] ?? 0) > 0));
        chart.data.labels = bars.map((b) => b.label);
        chart.data.datasets = used.map((k, i) => ({
          label: k,
          data: bars.map((b) => b.cost[split][k]?.[key] ?? 0),
          backgroundColor: STACK[i % STACK.length],
        }));
        chart.update();
      }
    }
    update();
  });

  // The timeline picker: one figure at a time.
  const timelineSelect = document.getElementById("timeline-select") as HTMLSelectElement | null;
  timelineSelect?.addEventListener("change", () => {
    for (const f of Array.from(document.querySelectorAll<HTMLElement>("figure.timeline")))
      f.hidden = f.dataset.timeline !== timelineSelect.value;
  });

  /** The dashed reference line y = N from N = lo to hi. */
  const diagonal = (lo: number, hi: number): Any => ({
    label: "y = N",
    data: [
      { x: lo, y: lo },
      { x: hi, y: hi },
    ],
    borderColor: "#555",
    borderDash: [6, 4],
    pointRadius: 0,
    fill: false,
  });

  // Speed-up over BP vs depth.
  const speedRoot = document.getElementById("speedup") as HTMLElement | null;
  if (speedRoot) {
    const series: Any[] = data.speedup.series;
    if (series.length === 0) {
      speedRoot.appendChild(
        el("p", { class: "note" }, "No DFA or DRTP run has a BP run at the same point, so there is no speed-up to show."),
      );
    } else {
      let which = "speedup";
      const controls = el("div", { class: "controls" });
      const label = el("label", {}, "show ");
      const select = el("select", { "data-control": "speedup-metric" }) as HTMLSelectElement;
      for (const [value, text] of [
        ["speedup", "whole epoch (BP sequential ÷ rule dfa-parallel)"],
        ["backward", "backward phases only (error + gradient + update)"],
        ["energy", "energy per epoch, rule ÷ BP"],
      ]) {
        select.appendChild(el("option", { value: value as string }, text));
      }
      label.appendChild(select);
      controls.appendChild(label);
      speedRoot.appendChild(controls);
      const depths = series.flatMap((s: Any) => s.points.map((p: Any) => p.depth));
      const lo = Math.min(...depths);
      const hi = Math.max(...depths);
      const chart = newChart(
        speedRoot,
        "Training-time speed-up over BP vs depth N (weight layers = hidden layers + 1); dashed: y = N",
        {
          type: "line",
          data: { datasets: [] },
          options: {
            plugins: { legend: bandLegend, tooltip: bandTooltip((v) => `${v.toFixed(3)}×`) },
            scales: {
              x: { type: "linear", title: { display: true, text: "N (weight layers)" }, ticks: { stepSize: 1 } },
              y: { title: { display: true, text: "speed-up (×)" } },
            },
          },
        },
        "speedup",
      );
      const draw = () => {
        const sets: Any[] = [];
        for (const s of series) {
          const name =
            series.filter((x: Any) => x.algo === s.algo).length > 1 || new Set(series.map((x: Any) => x.part)).size > 1
              ? `${s.algo} (${s.part || "all"})`
              : s.algo;
          if (!seriesOrder.includes(name)) seriesOrder.push(name);
          const pts = s.points.map((p: Any) => ({ depth: p.depth, v: p[which] }));
          sets.push(
            ...withBand(
              name,
              pts.map((p: Any) => ({ x: p.depth, y: p.v.mean })),
              pts.map((p: Any) => ({ x: p.depth, y: p.v.min })),
              pts.map((p: Any) => ({ x: p.depth, y: p.v.max })),
              pts.map((p: Any) => p.v),
            ),
          );
        }
        if (which !== "energy") {
          sets.push(diagonal(lo, hi));
        }
        chart.data.datasets = sets;
        chart.options.scales.y.title.text = which === "energy" ? "energy ratio (rule ÷ BP)" : "speed-up (×)";
        chart.options.plugins.tooltip = bandTooltip((v) => (which === "energy" ? v.toFixed(4) : `${v.toFixed(3)}×`));
        chart.update();
      };
      select.addEventListener("change", () => {
        which = select.value;
        draw();
      });
      draw();
    }
  }

  // The cost model's speed-up vs depth per hardware assumption, one shape at a time.
  const hwRoot = document.getElementById("speedup-hardware") as HTMLElement | null;
  if (hwRoot && data.hardware.points.length > 0) {
    const study: Any = data.hardware;
    const shapes: string[] = [];
    for (const p of study.points) if (!shapes.includes(p.shape)) shapes.push(p.shape);
    let shape = shapes[0];
    let which = "total";
    const controls = el("div", { class: "controls" });
    const shapeSelect = el("select", { "data-control": "hardware-shape" }) as HTMLSelectElement;
    for (const s of shapes) shapeSelect.appendChild(el("option", { value: s }, s));
    const metricSelect = el("select", { "data-control": "hardware-metric" }) as HTMLSelectElement;
    for (const [value, text] of [
      ["total", "whole epoch"],
      ["backward", "backward phases only"],
    ]) {
      metricSelect.appendChild(el("option", { value: value as string }, text));
    }
    controls.append(el("label", {}, "network "), shapeSelect, el("label", {}, " show "), metricSelect);
    hwRoot.appendChild(controls);
    const chart = newChart(
      hwRoot,
      "DFA's speed-up over BP vs N, per hardware assumption; dashed: y = N",
      {
        type: "line",
        data: { datasets: [] },
        options: {
          scales: {
            x: { type: "linear", title: { display: true, text: "N (weight layers)" }, ticks: { stepSize: 1 } },
            y: { title: { display: true, text: "speed-up (×)" } },
          },
        },
      },
      "speedup-hardware",
    );
    const draw = () => {
      const sets: Any[] = study.assumptions.map((a: Any, i: number) => ({
        label: a.label,
        data: study.points.filter((p: Any) => p.shape === shape && p.assumption === a.id).map((p: Any) => ({ x: p.n, y: p[which] })),
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
        fill: false,
      }));
      const ns = study.points.map((p: Any) => p.n);
      const lo = Math.min(...ns);
      const hi = Math.max(...ns);
      sets.push(diagonal(lo, hi));
      chart.data.datasets = sets;
      chart.update();
    };
    shapeSelect.addEventListener("change", () => {
      shape = shapeSelect.value;
      draw();
    });
    metricSelect.addEventListener("change", () => {
      which = metricSelect.value;
      draw();
    });
    draw();
  }

  (window as Any).__reportCharts = charts;
  (window as Any).__reportReady = true;
}
