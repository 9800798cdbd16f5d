// Technology nodes and how per-action costs scale between them.
//
// Transistor data: PTM low-power ("LSTP" roadmap) model cards as tabulated in DNN+NeuroSim V2.1
// Technology.cpp (reference §3.8: deviceroadmap = 2, LSTP). Wire data: NeuroSim V2.1 Param.cpp wire
// presets by node (§3.8); wire capacitance 0.2 fF/µm as NeuroSim uses throughout.
//
// Scaling rules (relative to the 32 nm reference at which the per-action costs are given):
//   area              ∝ F²                                   (layout drawn in units of F)
//   gate capacitance  ∝ (C_ideal + C_fringe) · F             (min-size device, width ∝ F)
//   dynamic energy    ∝ C · V_dd²
//   gate delay        ∝ (C_ideal + C_fringe) · V_dd / I_on   (per unit width: C·V/I)
//   leakage power     ∝ I_off · F · V_dd
//   wire energy/length ∝ V_dd²                               (wire capacitance per length fixed)
//   wire delay/length ∝ √(r_wire · gate delay)                (optimally repeated wire)

export type TechNode = 22 | 32 | 45 | 65;
export const TECH_NODES: readonly TechNode[] = [22, 32, 45, 65];

export interface TechParams {
  node: TechNode;
  /** Feature size F (m). */
  feature: number;
  /** Supply voltage (V). */
  vdd: number;
  /** NMOS on-current per width (A/m) and off-current per width (A/m), 300 K. */
  ionN: number;
  ioffN: number;
  /** Ideal gate and fringe capacitance per gate width (F/m). */
  capGate: number;
  capFringe: number;
  /** Wire: width (m), aspect ratio, resistivity (Ω·m) → resistance per length (Ω/m). */
  wireWidth: number;
  wireAspect: number;
  wireRho: number;
}

// µA/µm = A/m; the off-currents are 100 pA/µm = 1e-4 A/m at every node (PTM LP cards).
const TABLE: Record<TechNode, TechParams> = {
  22: {
    node: 22,
    feature: 22e-9,
    vdd: 0.85,
    ionN: 791.9,
    ioffN: 100.0e-6,
    capGate: 5.245e-10,
    capFringe: 8.004e-10,
    wireWidth: 32e-9,
    wireAspect: 1.9,
    wireRho: 4.51e-8,
  },
  32: {
    node: 32,
    feature: 32e-9,
    vdd: 0.9,
    ionN: 600.2,
    ioffN: 100.1e-6,
    capGate: 8.375279e-10,
    capFringe: 6.856677e-10,
    wireWidth: 40e-9,
    wireAspect: 1.9,
    wireRho: 4.03e-8,
  },
  45: {
    node: 45,
    feature: 45e-9,
    vdd: 1.0,
    ionN: 500.2,
    ioffN: 100.0e-6,
    capGate: 8.930709e-10,
    capFringe: 8.849901e-10,
    wireWidth: 50e-9,
    wireAspect: 2.34,
    wireRho: 3.91e-8,
  },
  65: {
    node: 65,
    feature: 65e-9,
    vdd: 1.1,
    ionN: 400.0,
    ioffN: 100.2e-6,
    capGate: 1.1926e-9,
    capFringe: 9.62148e-10,
    wireWidth: 100e-9,
    wireAspect: 2.3,
    wireRho: 2.73e-8,
  },
};

export function techParams(node: TechNode): TechParams {
  return TABLE[node];
}

/** Multipliers that carry a 32 nm cost to `node`. */
export interface TechScale {
  area: number;
  energy: number;
  delay: number;
  leakage: number;
  wireEnergy: number;
  wireDelay: number;
}

function raw(t: TechParams) {
  const cap = (t.capGate + t.capFringe) * t.feature;
  const wireRes = t.wireRho / (t.wireWidth * t.wireWidth * t.wireAspect);
  const delay = ((t.capGate + t.capFringe) * t.vdd) / t.ionN;
  return {
    area: t.feature * t.feature,
    energy: cap * t.vdd * t.vdd,
    delay,
    leakage: t.ioffN * t.feature * t.vdd,
    wireEnergy: t.vdd * t.vdd,
    wireDelay: Math.sqrt(wireRes * delay),
  };
}

export function techScale(node: TechNode): TechScale {
  const r = raw(TABLE[node]);
  const ref = raw(TABLE[32]);
  return {
    area: r.area / ref.area,
    energy: r.energy / ref.energy,
    delay: r.delay / ref.delay,
    leakage: r.leakage / ref.leakage,
    wireEnergy: r.wireEnergy / ref.wireEnergy,
    wireDelay: r.wireDelay / ref.wireDelay,
  };
}
