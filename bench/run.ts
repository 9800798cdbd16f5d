// `cimlearn bench` / `npm run bench`: kernel throughput with peers, as tables or one JSON document.

import { arch, cpus, platform } from "node:os";
import type { Engine } from "../src/engine/index.js";
import { VERSION } from "../src/version.js";
import { convSuite } from "./conv.js";
import { costSuite } from "./cost.js";
import { crossbarSuite } from "./crossbar.js";
import { gemmSuite } from "./gemm.js";
import { defaultClock } from "./timing.js";
import { trainSuite } from "./train.js";
import type { BenchContext, BenchResult, BenchSuite } from "./types.js";

/** Every suite, in the order they run and print. */
export const SUITES: readonly BenchSuite[] = [gemmSuite, crossbarSuite, trainSuite, costSuite, convSuite];

export function allCaseIds(): string[] {
  return SUITES.flatMap((s) => s.caseIds);
}

export interface BenchOptions {
  /** Case ids to run; all when empty. */
  cases: string[];
  rounds: number;
  /** Measure the peers as well. */
  peers: boolean;
  log: (line: string) => void;
  /** An engine loaded with `simd: "relaxed"`: its matrix products are timed beside the stock engine's. */
  relaxed?: Engine;
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
  results: BenchResult[];
}

export async function runBench(engine: Engine, options: BenchOptions): Promise<BenchReport> {
  const clock = defaultClock();
  const context: BenchContext = {
    cases: options.cases,
    rounds: options.rounds,
    clock,
    peers: options.peers,
    log: options.log,
    peerInfo: {},
    ...(options.relaxed ? { relaxed: options.relaxed } : {}),
  };
  const results: BenchResult[] = [];
  for (const suite of SUITES) results.push(...(await suite.run(engine, context)));
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
      peers: context.peerInfo,
    },
    results,
  };
}

function rateOf(r: BenchResult): number {
  return r.gflops ?? r.rate ?? Number.NaN;
}

function unitOf(r: BenchResult): string {
  return r.gflops !== undefined ? "GFLOP/s" : (r.unit ?? "");
}

function formatValue(x: number): string {
  if (x >= 1e6) return x.toExponential(3);
  return x >= 100 ? x.toFixed(0) : x.toFixed(2);
}

/** One table per kernel: the median per case and implementation, and our ratio to each peer. */
export function formatBench(report: BenchReport): string {
  const lines: string[] = [];
  const kernels = [...new Set(report.results.map((r) => r.kernel))];
  for (const kernel of kernels) {
    const mine = report.results.filter((r) => r.kernel === kernel);
    const impls = [...new Set(mine.map((r) => r.impl))];
    const peers = impls.filter((i) => i !== "cimlearn");
    const unit = unitOf(mine[0] as BenchResult);
    const header = [kernel, "shape", ...impls.map((i) => `${i} ${unit}`), ...peers.map((p) => `÷ ${p}`)];
    const rows: string[][] = [header];
    for (const id of [...new Set(mine.map((r) => r.case))]) {
      const byImpl = new Map(mine.filter((r) => r.case === id).map((r) => [r.impl, r]));
      const ours = byImpl.get("cimlearn");
      rows.push([
        id,
        (ours ?? (byImpl.values().next().value as BenchResult)).shape,
        ...impls.map((i) => {
          const r = byImpl.get(i);
          return r ? formatValue(rateOf(r)) + (r.rows ? ` (${r.rows} rows)` : "") : "—";
        }),
        ...peers.map((p) => {
          const r = byImpl.get(p);
          return r && ours ? `${(rateOf(ours) / rateOf(r)).toFixed(2)}×` : "—";
        }),
      ]);
    }
    const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
    const table = rows.map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] as number))
        .join("  ")
        .trimEnd(),
    );
    table.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
    lines.push(...table, "");
  }
  const m = report.machine;
  lines.push(
    `cimlearn ${report.version} · ${m.cpu} (${m.cores} cores) · Node ${m.node} · V8 ${m.v8} · median of ${report.results[0]?.rounds ?? 0} rounds, ${m.clock} time`,
  );
  for (const [name, what] of Object.entries(m.peers)) lines.push(`${name}: ${what}`);
  return lines.join("\n");
}
