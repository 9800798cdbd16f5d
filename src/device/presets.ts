import type { DeviceParams, DevicePreset } from "./params.js";

// Sources (the documents the tags below name):
//   [V21py] DNN+NeuroSim V2.1 train.py effective defaults (§3.3, §3.6): max_level 32, NL 1.75/1.46,
//           c2cVari 0.003 once per update, d2dVari 0.
//   [V21pc] DNN+NeuroSim V2.1 Param.cpp (§3.8): FeFET, Ron 240 kΩ, Roff 24 MΩ, write 4 V / 50 ns,
//           read 0.5 V / 10 ns. (Param.cpp counts write pulses with 60 levels; the training physics
//           uses 32 — we use 32 for both and note it.)
//   [V20]   DNN+NeuroSim V2.0 Param.cpp (§3.8 brackets): RRAM, Ron 100 kΩ, on/off 10, 32 levels.
//   [B20]   NeuroSim V2.0 device benchmark table, 14 nm (§4.1), and [B30] its V3.0 32 nm revision;
//           MLP+NeuroSim V3.0 device semantics: C2C σ = fraction of (Gmax − Gmin) × √|pulses|.
//   [M30]   MLP+NeuroSim V3.0 default RealDevice, Ag:a-Si (Jo et al., Nano Lett. 2010): levels 97/100,
//           Ron 26 MΩ, on/off 12.5, LTP 3.2 V / 300 µs, LTD 2.8 V / 300 µs, read 0.5 V, C2C 3.5 %.
// Where a table gives a bound ("< 1 %"), the bound is used. Read pulse widths the tables do not
// give default to V2.1's 10 ns at 0.5 V.

/** The tags used in `source`, spelled out (every preset's source names its document). */
const REF = {
  V21py: "DNN+NeuroSim V2.1 train.py defaults",
  V21pc: "DNN+NeuroSim V2.1 Param.cpp",
  V20: "DNN+NeuroSim V2.0 Param.cpp",
  B20: "NeuroSim V2.0 device benchmark table (14 nm)",
  B30: "NeuroSim V3.0 device table (32 nm)",
  M30: "MLP+NeuroSim V3.0 default RealDevice",
} as const;

const quiet = {
  d2dNl: 0,
  d2dGMax: 0,
  d2dGMin: 0,
  readNoise: 0,
  stuckAtGMin: 0,
  stuckAtGMax: 0,
  driftNu: 0,
  driftT0: 1,
  readVoltage: 0.5,
  readPulseWidth: 10e-9,
} as const;

function resistive(ron: number, onOff: number): Pick<DeviceParams, "gMax" | "gMin"> {
  return { gMax: 1 / ron, gMin: 1 / (ron * onOff) };
}

export const DEVICE_PRESETS: readonly DevicePreset[] = [
  {
    id: "fefet-v21",
    name: "FeFET, DNN+NeuroSim V2.1 defaults",
    source: `${REF.V21py}: levels, NL, C2C; ${REF.V21pc}: Ron/Roff, write and read pulses`,
    params: {
      ...quiet,
      cell: "fefet",
      ...resistive(240e3, 100),
      levelsLtp: 32,
      levelsLtd: 32,
      nlLtp: 1.75,
      nlLtd: 1.46,
      c2c: 0.003,
      c2cMode: "per-update",
      writeVoltageLtp: 4,
      writeVoltageLtd: 4,
      writePulseWidthLtp: 50e-9,
      writePulseWidthLtd: 50e-9,
    },
  },
  {
    id: "rram-v20",
    name: "RRAM, DNN+NeuroSim V2.0 defaults",
    source: `${REF.V20}: Ron, on/off, levels; training physics as ${REF.V21py}; pulses as ${REF.V21pc}`,
    params: {
      ...quiet,
      cell: "rram",
      ...resistive(100e3, 10),
      levelsLtp: 32,
      levelsLtd: 32,
      nlLtp: 1.75,
      nlLtd: 1.46,
      c2c: 0.003,
      c2cMode: "per-update",
      writeVoltageLtp: 4,
      writeVoltageLtd: 4,
      writePulseWidthLtp: 50e-9,
      writePulseWidthLtd: 50e-9,
    },
  },
  {
    id: "ag-a-si",
    name: "Ag:a-Si RRAM (Jo et al. 2010)",
    source: `${REF.M30} (Jo et al., Nano Lett. 2010); ${REF.B20}`,
    params: {
      ...quiet,
      cell: "rram",
      ...resistive(26e6, 12.5),
      levelsLtp: 97,
      levelsLtd: 100,
      nlLtp: 2.4,
      nlLtd: -4.88,
      c2c: 0.035,
      c2cMode: "sqrt-pulses",
      writeVoltageLtp: 3.2,
      writeVoltageLtd: 2.8,
      writePulseWidthLtp: 300e-6,
      writePulseWidthLtd: 300e-6,
    },
  },
  {
    id: "taox-hfox",
    name: "TaOx/HfOx RRAM",
    source: `${REF.B30}: 128 states, NL 0.04/−0.63, Ron 100 kΩ, on/off 10, 1.6 V / 50 ns, C2C 3.7 %`,
    params: {
      ...quiet,
      cell: "rram",
      ...resistive(100e3, 10),
      levelsLtp: 128,
      levelsLtd: 128,
      nlLtp: 0.04,
      nlLtd: -0.63,
      c2c: 0.037,
      c2cMode: "sqrt-pulses",
      writeVoltageLtp: 1.6,
      writeVoltageLtd: 1.6,
      writePulseWidthLtp: 50e-9,
      writePulseWidthLtd: 50e-9,
    },
  },
  {
    id: "pcmo",
    name: "PCMO RRAM",
    source: `${REF.B20}: 50 states, NL 3.68/−6.76, Ron 23 MΩ, on/off 6.84, ∓2 V / 1 ms, C2C < 1 %`,
    params: {
      ...quiet,
      cell: "rram",
      ...resistive(23e6, 6.84),
      levelsLtp: 50,
      levelsLtd: 50,
      nlLtp: 3.68,
      nlLtd: -6.76,
      c2c: 0.01,
      c2cMode: "sqrt-pulses",
      writeVoltageLtp: 2,
      writeVoltageLtd: 2,
      writePulseWidthLtp: 1e-3,
      writePulseWidthLtd: 1e-3,
    },
  },
  {
    id: "alox-hfo2",
    name: "AlOx/HfO2 RRAM",
    source: `${REF.B20}: 40 states, NL 1.94/−0.61, Ron 16.9 kΩ, on/off 4.43, 0.9 V / −1 V, 100 µs, C2C 5 %`,
    params: {
      ...quiet,
      cell: "rram",
      ...resistive(16.9e3, 4.43),
      levelsLtp: 40,
      levelsLtd: 40,
      nlLtp: 1.94,
      nlLtd: -0.61,
      c2c: 0.05,
      c2cMode: "sqrt-pulses",
      writeVoltageLtp: 0.9,
      writeVoltageLtd: 1,
      writePulseWidthLtp: 100e-6,
      writePulseWidthLtd: 100e-6,
    },
  },
  {
    id: "gst-pcm",
    name: "GST phase-change memory",
    source: `${REF.B20}: 100–120 states (100 used), NL 0.105/2.4, Ron 4.71 kΩ, on/off 19.8, 0.7 V / 6 µs up, 3 V / 125 ns down, C2C 1.5 %`,
    params: {
      ...quiet,
      cell: "pcm",
      ...resistive(4.71e3, 19.8),
      levelsLtp: 100,
      levelsLtd: 100,
      nlLtp: 0.105,
      nlLtd: 2.4,
      c2c: 0.015,
      c2cMode: "sqrt-pulses",
      writeVoltageLtp: 0.7,
      writeVoltageLtd: 3,
      writePulseWidthLtp: 6e-6,
      writePulseWidthLtd: 125e-9,
    },
  },
  {
    id: "epiram",
    name: "EpiRAM (SiGe epitaxial RAM)",
    source: `${REF.B20}: 64 states, NL 0.5/−0.5, Ron 81 kΩ, on/off 50.2, 5 V / −3 V, 5 µs, C2C 2 %`,
    params: {
      ...quiet,
      cell: "ecram",
      ...resistive(81e3, 50.2),
      levelsLtp: 64,
      levelsLtd: 64,
      nlLtp: 0.5,
      nlLtd: -0.5,
      c2c: 0.02,
      c2cMode: "sqrt-pulses",
      writeVoltageLtp: 5,
      writeVoltageLtd: 3,
      writePulseWidthLtp: 5e-6,
      writePulseWidthLtd: 5e-6,
    },
  },
  {
    id: "hzo-fefet",
    name: "HZO FeFET (Jerry et al. 2017)",
    source: `${REF.B20}: 32 states, NL 1.75/1.46, Ron 559.28 kΩ, on/off 45, 3.65 V / −2.95 V avg, 75 ns; ${REF.B30}: C2C < 0.5 %`,
    params: {
      ...quiet,
      cell: "fefet",
      ...resistive(559.28e3, 45),
      levelsLtp: 32,
      levelsLtd: 32,
      nlLtp: 1.75,
      nlLtd: 1.46,
      c2c: 0.005,
      c2cMode: "sqrt-pulses",
      writeVoltageLtp: 3.65,
      writeVoltageLtd: 2.95,
      writePulseWidthLtp: 75e-9,
      writePulseWidthLtd: 75e-9,
    },
  },
  {
    id: "ideal",
    name: "Ideal device: linear, symmetric, 65,536 levels, no variation",
    source: `a reference, not a device; conductance range and pulses as ${REF.V21pc}`,
    params: {
      ...quiet,
      cell: "ideal",
      ...resistive(240e3, 100),
      levelsLtp: 65536,
      levelsLtd: 65536,
      nlLtp: 0,
      nlLtd: 0,
      c2c: 0,
      c2cMode: "per-update",
      writeVoltageLtp: 4,
      writeVoltageLtd: 4,
      writePulseWidthLtp: 50e-9,
      writePulseWidthLtd: 50e-9,
    },
  },
];

export const DEVICE_PRESET_IDS = DEVICE_PRESETS.map((p) => p.id);

/** The preset with this id, or undefined. */
export function findDevicePreset(id: string): DevicePreset | undefined {
  return DEVICE_PRESETS.find((p) => p.id === id);
}
