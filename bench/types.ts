import type { Engine } from "../src/engine/index.js";
import type { Clock } from "./timing.js";

/** One measured figure. Matrix products report `gflops`; other kernels a `rate` in their own `unit`. */
export interface BenchResult {
  kernel: string;
  case: string;
  /** "cimlearn", or the peer's id. */
  impl: string;
  /** Median over rounds, for flop-counted kernels. */
  gflops?: number;
  /** Median over rounds, in `unit` (e.g. "devices/s", "samples/s"). */
  rate?: number;
  unit?: string;
  /** Best round, in the same unit as the median. */
  max: number;
  rounds: number;
  /** What the case is, for the table. */
  shape: string;
  /** Rows of op(A) actually multiplied when fewer than M (the plain-JS loop on large cases). */
  rows?: number;
}

export interface BenchContext {
  /** Case ids to run; all when empty. */
  cases: readonly string[];
  rounds: number;
  clock: Clock;
  /** Measure peers as well. */
  peers: boolean;
  log: (line: string) => void;
  /** Peers' descriptions for the report header, filled by suites that measure them. */
  peerInfo: Record<string, string>;
  /** An engine on the relaxed-SIMD build: the gemm cases also time it ("cimlearn-relaxed"). */
  relaxed?: Engine;
}

/** A family of benchmark cases for one kernel. */
export interface BenchSuite {
  kernel: string;
  caseIds: readonly string[];
  run(engine: Engine, context: BenchContext): Promise<BenchResult[]>;
}

/** Median and best of per-call seconds, as rates of `work` units per call. */
export function summarize(seconds: readonly number[], work: number): { median: number; max: number } {
  const sorted = [...seconds].sort((p, q) => p - q);
  return {
    median: work / (sorted[Math.floor(sorted.length / 2)] as number),
    max: work / (sorted[0] as number),
  };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
