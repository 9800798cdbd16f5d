import type { Engine } from "../engine/engine.js";
import type { DeviceParams } from "./params.js";

/** Conductance (S) after each of `pulses` potentiating pulses from gMin, and after each of `pulses` depressing pulses from gMax, without variation. */
export function deviceCurve(engine: Engine, device: DeviceParams, pulses: number): { ltp: number[]; ltd: number[] } {
  const k = engine.kernels;
  const mark = engine.arena.mark();
  try {
    const ltp = engine.arena.tensor([2 * (pulses + 1)], "u32");
    const ltd = engine.arena.tensor([2 * (pulses + 1)], "u32");
    const aLtp = device.aLtp ?? k.nlToA(device.nlLtp);
    const aLtd = device.aLtd ?? k.nlToA(device.nlLtd);
    k.pulseCurve(pulses, device.gMin, device.gMax, aLtp, aLtd, device.levelsLtp, device.levelsLtd, ltp.offset, ltd.offset);
    return {
      ltp: Array.from(new Float64Array(engine.memory.buffer, ltp.offset, pulses + 1)),
      ltd: Array.from(new Float64Array(engine.memory.buffer, ltd.offset, pulses + 1)),
    };
  } finally {
    engine.arena.release(mark);
  }
}
