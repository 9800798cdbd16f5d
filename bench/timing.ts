// Timing for benchmarks on a shared, noisy machine.

export interface Clock {
  /** "cpu" (this process's CPU time: immune to time-slicing by other processes) or "wall". */
  kind: "cpu" | "wall";
  /** Seconds since an arbitrary origin. */
  now(): number;
}

export function defaultClock(): Clock {
  if (typeof process !== "undefined" && typeof process.cpuUsage === "function") {
    return {
      kind: "cpu",
      now: () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1e6;
      },
    };
  }
  return { kind: "wall", now: () => performance.now() / 1e3 };
}

/** Shortest timed batch: long enough for the clock's resolution and for noise to average. */
const MIN_BATCH_SECONDS = 0.05;
/** Warm-up per function, untimed: lets V8 tier the wasm and JIT the JS up to optimized code. */
const WARMUP_SECONDS = 0.3;

export interface Pacing {
  /** Untimed warm-up per function, seconds. */
  warmupSeconds: number;
  /** Shortest timed batch, seconds. */
  batchSeconds: number;
}

/**
 * Runs every function in `fns` for `rounds` rounds, interleaved (one batch of
 * each per round), after a warm-up. Returns, per function, the seconds per call
 * of each round. Code that is large next to its call time (the cost model: some
 * ten thousand lines, milliseconds a call) needs a longer `pacing`: V8 compiles it
 * on background threads for its first second or two, and the CPU clock counts them.
 */
export function measure(
  fns: readonly (() => void)[],
  rounds: number,
  clock: Clock,
  pacing: Pacing = { warmupSeconds: WARMUP_SECONDS, batchSeconds: MIN_BATCH_SECONDS },
): number[][] {
  const reps = fns.map((fn) => {
    // Warm up and calibrate: repeat until WARMUP_SECONDS have passed, then size a batch from the last call times.
    let calls = 0;
    const start = clock.now();
    let elapsed = 0;
    let last = 0;
    while (elapsed < pacing.warmupSeconds || calls < 3) {
      const t0 = clock.now();
      fn();
      last = clock.now() - t0;
      calls++;
      elapsed = clock.now() - start;
    }
    return Math.max(1, Math.ceil(pacing.batchSeconds / Math.max(last, 1e-6)));
  });
  const samples: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, i) => {
      const n = reps[i] as number;
      const t0 = clock.now();
      for (let k = 0; k < n; k++) fn();
      (samples[i] as number[]).push((clock.now() - t0) / n);
    });
  }
  return samples;
}
