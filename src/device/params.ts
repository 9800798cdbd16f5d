/**
 * A synaptic device, in SI units. Weights live in the normalized domain
 * [−1, 1], mapped linearly onto [gMin, gMax]; pulse counts are in steps of
 * 2 / levels weight units (the NeuroSim convention: `levels` pulses take a
 * device from gMin to gMax).
 */
export interface DeviceParams {
  /** What kind of cell: decides the cost model's cell circuit (NeuroSim memcelltype). */
  cell: "rram" | "fefet" | "pcm" | "ecram" | "ideal";
  /** Maximum conductance (S) = 1/Ron. */
  gMax: number;
  /** Minimum conductance (S) = 1/Roff. */
  gMin: number;
  /** Pulses from gMin to gMax under potentiation (LTP) — the number of levels. */
  levelsLtp: number;
  /** Pulses from gMax to gMin under depression (LTD). */
  levelsLtd: number;
  /**
   * Nonlinearity labels (NeuroSim's NL, −9 … 9). The sign is the sign of the
   * curve constant A: same-sign labels retrace one curve (symmetric); opposite
   * signs make LTD steep near gMax (asymmetric). 0 is a linear device.
   */
  nlLtp: number;
  nlLtd: number;
  /** Normalized curve constants (Pmax = 1), overriding the labels when set. */
  aLtp?: number;
  aLtd?: number;
  /** Device-to-device σ of the NL label (one draw per device, added to both labels). */
  d2dNl: number;
  /** Device-to-device σ of gMax and gMin, as fractions of their nominal values. */
  d2dGMax: number;
  d2dGMin: number;
  /** Cycle-to-cycle σ as a fraction of the conductance range (gMax − gMin). */
  c2c: number;
  /**
   * How C2C noise scales: once per update of an updated device (DNN+NeuroSim
   * V2.1) or × √|pulses| (MLP+NeuroSim V3.0).
   */
  c2cMode: "per-update" | "sqrt-pulses";
  /** Read noise σ per device and read, as a fraction of the conductance range. */
  readNoise: number;
  /** Fraction of devices stuck at gMin / at gMax (never move). */
  stuckAtGMin: number;
  stuckAtGMax: number;
  /** Conductance drift G = G0·(t/t0)^−ν: ν (dimensionless) and t0 (s). */
  driftNu: number;
  driftT0: number;
  /** Programming pulses (V, s) for potentiation and depression; the magnitude of the voltage. */
  writeVoltageLtp: number;
  writeVoltageLtd: number;
  writePulseWidthLtp: number;
  writePulseWidthLtd: number;
  /** Read pulse (V, s). */
  readVoltage: number;
  readPulseWidth: number;
  /**
   * Write endurance: programming events (updates that pulse it) a device survives. Absent when no
   * source for the device gives one; a run then reports its writes without a projected lifetime.
   */
  endurance?: number;
}

export interface DevicePreset {
  id: string;
  name: string;
  /** Where every number comes from. */
  source: string;
  params: DeviceParams;
}
