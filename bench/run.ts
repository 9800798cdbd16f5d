// `cimlearn bench` / `npm run bench`: kernel throughput with peers, as a table or one JSON document.

import { arch, cpus, platform } from "node:os";
import type { Engine } from "../src/engine/index.js";
import { VERSION } from "../src/version.js";
import { benchGemm, GEMM_CASES, type GemmResult, loadTfPeer } from "./gemm.js";
import { defaultClock } from "./timing.js";

export interface BenchOptions {
  /** Case ids to run; all when empty. */
  cases: string[];
  rounds: number;
  /** Measure the peers (plain JS, TensorFlow.js-wasm) as well. */
  peers: boolean;
  log: (line: string) => void;
}

export interface BenchReport {
  version: string;
  machine: {
    cpu: string;
    cores: number;
    platform: string;
    arch: string;
    node: string;
    v8: string;
    clock: "cpu" | "wall";
    peers: Record<string, string>;
  };
  results: GemmResult[];
}

export async function runBench(engine: Engine, options: BenchOptions): Promise<BenchReport> {
  const cases = options.cases.length === 0 ? GEMM_CASES : GEMM_CASES.filter((c) => options.cases.includes(c.id));
  const clock = defaultClock();
  const peer = options.peers ? await loadTfPeer(options.log) : undefined;
  const results = await benchGemm(engine, { cases, rounds: options.rounds, clock, log: options.log }, peer, options.peers);
  const peers: Record<string, string> = {};
  if (options.peers) peers.js = `plain triple loop over Float32Array, V8 ${process.versions.v8}`;
  if (peer) peers["tfjs-wasm"] = `@tensorflow/tfjs-backend-wasm ${peer.version} (XNNPACK, SIMD, 1 thread)`;
  return {
    version: VERSION,
    machine: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      platform: platform(),
      arch: arch(),
      node: process.versions.node,
      v8: process.versions.v8,
      clock: clock.kind,
      peers,
    },
    results,
  };
}

/** The report as a table: GFLOP/s (median) per case and implementation, and our ratio to each peer. */
export function formatBench(report: BenchReport): string {
  const impls = ["cimlearn", "js", "tfjs-wasm"].filter((i) => report.results.some((r) => r.impl === i));
  const peers = impls.filter((i) => i !== "cimlearn");
  const header = ["case", "shape", ...impls.map((i) => `${i} GFLOP/s`), ...peers.map((p) => `÷ ${p}`)];
  const rows: string[][] = [header];
  for (const c of GEMM_CASES) {
    const byImpl = new Map(report.results.filter((r) => r.case === c.id).map((r) => [r.impl, r]));
    const ours = byImpl.get("cimlearn");
    if (!ours) continue;
    const op = `${c.transA ? "Aᵀ" : "A"}·${c.transB ? "Bᵀ" : "B"} ${c.M}×${c.K}·${c.K}×${c.N}`;
    rows.push([
      c.id,
      op,
      ...impls.map((i) => {
        const r = byImpl.get(i as GemmResult["impl"]);
        return r ? r.gflops.toFixed(2) + (r.rows ? ` (${r.rows} rows)` : "") : "—";
      }),
      ...peers.map((p) => {
        const r = byImpl.get(p as GemmResult["impl"]);
        return r ? `${(ours.gflops / r.gflops).toFixed(2)}×` : "—";
      }),
    ]);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const m = report.machine;
  lines.push(
    "",
    `cimlearn ${report.version} · ${m.cpu} (${m.cores} cores) · Node ${m.node} · V8 ${m.v8} · median of ${report.results[0]?.rounds ?? 0} rounds, ${m.clock} time`,
  );
  for (const [name, what] of Object.entries(m.peers)) lines.push(`${name}: ${what}`);
  return lines.join("\n");
}
