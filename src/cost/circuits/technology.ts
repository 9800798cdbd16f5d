// NeuroSim V2.1 Technology.h / Technology.cpp (Initialize): PTM-based CMOS device parameters per node and roadmap.

/** Device roadmap: high performance or low standby power. */
export type DeviceRoadmap = "HP" | "LSTP";

/** CMOS nodes NeuroSim defines for conventional transistors (14/10/7 nm are FinFET-like). */
export const CMOS_NODES = [130, 90, 65, 45, 32, 22, 14, 10, 7] as const;
export type CmosNode = (typeof CMOS_NODES)[number];

/** Technology parameters (SI units). Current arrays hold 101 entries, indexed by temperature − 300 K. */
export interface Technology {
  featureSizeInNano: number;
  /** Feature size, m. */
  featureSize: number;
  /** Never set by NeuroSim V2.1 (stays 0 in its global object). */
  rramFeatureSize: number;
  deviceRoadmap: DeviceRoadmap;
  transistorType: "conventional";
  vdd: number;
  vth: number;
  /** FinFET geometry, m (0 for bulk nodes ≥ 22 nm, as in NeuroSim's zero-initialised global). */
  heightFin: number;
  widthFin: number;
  pitchFin: number;
  phyGateLength: number;
  /** F/m */
  capIdealGate: number;
  capFringe: number;
  /** F/m² */
  capJunction: number;
  capOverlap: number;
  capSidewall: number;
  capDrainToChannel: number;
  buildInPotential: number;
  pnSizeRatio: number;
  effectiveResistanceMultiplier: number;
  /** A/m, 101 temperatures (300..400 K). */
  currentOnNmos: number[];
  currentOnPmos: number[];
  currentOffNmos: number[];
  currentOffPmos: number[];
  /** Current at 0.7·vdd used for gm, A/m/V. */
  currentGmNmos: number;
  currentGmPmos: number;
  capPolywire: number;
}

interface NodeData {
  vdd: number;
  vth: number;
  heightFin: number;
  widthFin: number;
  pitchFin: number;
  phyGateLength: number;
  capIdealGate: number;
  capFringe: number;
  effectiveResistanceMultiplier: number;
  currentGmNmos: number;
  currentGmPmos: number;
  /** 14/10/7 nm truncate the N/P on-current ratio to an integer. */
  pnSizeRatioTruncated: boolean;
  /** Values at 300, 310, ..., 400 K (interpolated linearly in between). */
  currentOnNmos: number[];
  currentOnPmos: number[];
  currentOffNmos: number[];
  currentOffPmos: number[];
}

// Numbers from NeuroSim V2.1 Technology.cpp (PTM models), conventional transistors.
const NODE_DATA: Record<string, NodeData> = {
  "130-HP": {
    vdd: 1.3,
    vth: 128.4855e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 1.3e-7,
    capIdealGate: 6.058401e-10,
    capFringe: 6.119807e-10,
    effectiveResistanceMultiplier: 1.54,
    currentGmNmos: 3.94e2,
    currentGmPmos: 2.61e2,
    pnSizeRatioTruncated: false,
    currentOnNmos: [0.93e3, 0.91e3, 0.89e3, 0.87e3, 0.85e3, 0.83e3, 0.81e3, 0.79e3, 0.77e3, 0.75e3, 0.74e3],
    currentOnPmos: [0.43e3, 0.41e3, 0.38e3, 0.36e3, 0.34e3, 0.32e3, 0.3e3, 0.28e3, 0.26e3, 0.25e3, 0.24e3],
    currentOffNmos: [100.0e-3, 119.9e-3, 142.2e-3, 167.0e-3, 194.3e-3, 224.3e-3, 256.8e-3, 292.0e-3, 329.9e-3, 370.5e-3, 413.8e-3],
    currentOffPmos: [100.2e-3, 113.6e-3, 127.9e-3, 143.1e-3, 159.1e-3, 175.8e-3, 193.4e-3, 211.7e-3, 230.8e-3, 250.7e-3, 271.2e-3],
  },
  "130-LSTP": {
    vdd: 1.3,
    vth: 466.0949e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 1.3e-7,
    capIdealGate: 1.8574e-9,
    capFringe: 9.530642e-10,
    effectiveResistanceMultiplier: 1.54,
    currentGmNmos: 3.87e1,
    currentGmPmos: 5.67e1,
    pnSizeRatioTruncated: false,
    currentOnNmos: [300.7, 273.4, 249.4, 228.4, 209.9, 193.5, 179.0, 166.0, 154.4, 144.0, 134.6],
    currentOnPmos: [150.7, 136.2, 123.6, 112.7, 103.2, 94.88, 87.54, 81.04, 75.25, 70.08, 65.44],
    currentOffNmos: [100.2e-6, 135.9e-6, 181.2e-6, 237.8e-6, 307.3e-6, 391.9e-6, 493.3e-6, 613.7e-6, 755.3e-6, 920.2e-6, 1111.0e-6],
    currentOffPmos: [100.2e-6, 132.8e-6, 173.0e-6, 221.9e-6, 280.7e-6, 350.4e-6, 432.2e-6, 527.2e-6, 636.8e-6, 761.9e-6, 903.8e-6],
  },
  "90-HP": {
    vdd: 1.2,
    vth: 146.0217e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 9.0e-8,
    capIdealGate: 5.694423e-10,
    capFringe: 5.652302e-10,
    effectiveResistanceMultiplier: 1.54,
    currentGmNmos: 4.95e2,
    currentGmPmos: 3.16e2,
    pnSizeRatioTruncated: false,
    currentOnNmos: [1.07e3, 1.05e3, 1.03e3, 1.01e3, 0.99e3, 0.97e3, 0.95e3, 0.93e3, 0.9e3, 0.88e3, 0.86e3],
    currentOnPmos: [0.54e3, 0.5e3, 0.47e3, 0.44e3, 0.41e3, 0.39e3, 0.37e3, 0.34e3, 0.32e3, 0.31e3, 0.29e3],
    currentOffNmos: [100.8e-3, 120.8e-3, 143.4e-3, 168.6e-3, 196.6e-3, 227.4e-3, 261.1e-3, 297.7e-3, 337.3e-3, 379.8e-3, 425.4e-3],
    currentOffPmos: [100.0e-3, 114.0e-3, 128.9e-3, 144.8e-3, 161.6e-3, 179.3e-3, 197.9e-3, 217.4e-3, 237.9e-3, 259.1e-3, 281.3e-3],
  },
  "90-LSTP": {
    vdd: 1.2,
    vth: 501.3229e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 9.0e-8,
    capIdealGate: 1.5413e-10,
    capFringe: 9.601334e-10,
    effectiveResistanceMultiplier: 1.77,
    currentGmNmos: 4.38e1,
    currentGmPmos: 5.99e1,
    pnSizeRatioTruncated: false,
    currentOnNmos: [346.3, 314.5, 286.8, 262.5, 241.2, 222.3, 205.6, 190.8, 177.5, 165.6, 155.0],
    currentOnPmos: [200.3, 179.5, 161.9, 146.9, 133.9, 122.6, 112.8, 104.1, 96.47, 89.68, 83.62],
    currentOffNmos: [100.0e-6, 135.7e-6, 181.1e-6, 238.0e-6, 308.5e-6, 394.6e-6, 498.5e-6, 622.6e-6, 769.3e-6, 941.2e-6, 1141.0e-6],
    currentOffPmos: [100.3e-6, 133.2e-6, 174.2e-6, 224.4e-6, 285.1e-6, 357.6e-6, 443.4e-6, 543.7e-6, 660.0e-6, 793.8e-6, 946.4e-6],
  },
  "65-HP": {
    vdd: 1.1,
    vth: 166.3941e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 6.5e-8,
    capIdealGate: 4.868295e-10,
    capFringe: 5.270361e-10,
    effectiveResistanceMultiplier: 1.54,
    currentGmNmos: 5.72e2,
    currentGmPmos: 3.99e2,
    pnSizeRatioTruncated: false,
    currentOnNmos: [1.12e3, 1.1e3, 1.08e3, 1.06e3, 1.04e3, 1.02e3, 1.0e3, 0.98e3, 0.95e3, 0.93e3, 0.91e3],
    currentOnPmos: [0.7e3, 0.66e3, 0.62e3, 0.58e3, 0.55e3, 0.52e3, 0.49e3, 0.46e3, 0.44e3, 0.41e3, 0.39e3],
    currentOffNmos: [100.0e-3, 119.7e-3, 141.9e-3, 166.8e-3, 194.4e-3, 224.8e-3, 258.1e-3, 294.4e-3, 333.6e-3, 375.9e-3, 421.2e-3],
    currentOffPmos: [100.1e-3, 115.2e-3, 131.5e-3, 149.0e-3, 167.6e-3, 187.4e-3, 208.4e-3, 230.5e-3, 253.7e-3, 278.1e-3, 303.6e-3],
  },
  "65-LSTP": {
    vdd: 1.1,
    vth: 501.6636e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 6.5e-8,
    capIdealGate: 1.1926e-9,
    capFringe: 9.62148e-10,
    effectiveResistanceMultiplier: 1.77,
    currentGmNmos: 5.9e1,
    currentGmPmos: 6.75e1,
    pnSizeRatioTruncated: false,
    currentOnNmos: [400.0, 363.9, 332.3, 304.7, 280.4, 258.9, 239.9, 223.0, 207.9, 194.3, 182.1],
    currentOnPmos: [238.7, 216.1, 196.6, 179.7, 164.9, 152.0, 140.5, 130.4, 121.4, 113.3, 106.1],
    currentOffNmos: [100.2e-6, 137.5e-6, 185.8e-6, 247.2e-6, 324.2e-6, 419.3e-6, 535.4e-6, 675.7e-6, 843.1e-6, 1041.0e-6, 1273.0e-6],
    currentOffPmos: [100.2e-6, 135.4e-6, 179.7e-6, 234.9e-6, 302.5e-6, 384.3e-6, 482.2e-6, 598.0e-6, 733.9e-6, 891.6e-6, 1073.0e-6],
  },
  "45-HP": {
    vdd: 1.0,
    vth: 171.0969e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 4.5e-8,
    capIdealGate: 4.091305e-10,
    capFringe: 4.957928e-10,
    effectiveResistanceMultiplier: 1.54,
    currentGmNmos: 7.37e2,
    currentGmPmos: 6.3e2,
    pnSizeRatioTruncated: false,
    currentOnNmos: [1.27e3, 1.24e3, 1.22e3, 1.19e3, 1.16e3, 1.13e3, 1.11e3, 1.08e3, 1.05e3, 1.02e3, 1.0e3],
    currentOnPmos: [1.08e3, 1.04e3, 1.0e3, 0.96e3, 0.92e3, 0.88e3, 0.85e3, 0.81e3, 0.78e3, 0.75e3, 0.72e3],
    currentOffNmos: [100.0e-3, 120.7e-3, 144.1e-3, 170.5e-3, 199.8e-3, 232.3e-3, 268.0e-3, 307.1e-3, 349.5e-3, 395.4e-3, 444.8e-3],
    currentOffPmos: [100.2e-3, 118.7e-3, 139.3e-3, 162.0e-3, 186.8e-3, 213.9e-3, 243.3e-3, 274.9e-3, 308.9e-3, 345.2e-3, 383.8e-3],
  },
  "45-LSTP": {
    vdd: 1,
    vth: 464.3718e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 4.5e-8,
    capIdealGate: 8.930709e-10,
    capFringe: 8.849901e-10,
    effectiveResistanceMultiplier: 1.77,
    currentGmNmos: 1.32e2,
    currentGmPmos: 8.65e1,
    pnSizeRatioTruncated: false,
    currentOnNmos: [500.2, 462.0, 427.8, 397.1, 369.4, 344.5, 322.1, 301.8, 283.4, 266.7, 251.5],
    currentOnPmos: [300.0, 275.7, 254.2, 235.1, 218.1, 202.8, 189.2, 176.9, 165.8, 155.8, 146.7],
    currentOffNmos: [100.0e-6, 140.5e-6, 193.9e-6, 263.1e-6, 351.4e-6, 462.5e-6, 600.3e-6, 769.2e-6, 973.9e-6, 1219.0e-6, 1511.0e-6],
    currentOffPmos: [100.2e-6, 138.4e-6, 187.6e-6, 250.1e-6, 328.1e-6, 424.1e-6, 540.9e-6, 681.3e-6, 848.3e-6, 1045.0e-6, 1275.0e-6],
  },
  "32-HP": {
    vdd: 0.9,
    vth: 194.4951e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 3.4e-8,
    capIdealGate: 3.767721e-10,
    capFringe: 4.713762e-10,
    effectiveResistanceMultiplier: 1.54,
    currentGmNmos: 9.29e2,
    currentGmPmos: 6.73e2,
    pnSizeRatioTruncated: false,
    currentOnNmos: [1.41e3, 1.38e3, 1.35e3, 1.31e3, 1.28e3, 1.25e3, 1.21e3, 1.18e3, 1.15e3, 1.12e3, 1.08e3],
    currentOnPmos: [1.22e3, 1.17e3, 1.12e3, 1.07e3, 1.02e3, 0.98e3, 0.94e3, 0.89e3, 0.86e3, 0.82e3, 0.78e3],
    currentOffNmos: [100.3e-3, 120.4e-3, 143.1e-3, 168.6e-3, 197.0e-3, 228.4e-3, 262.9e-3, 300.6e-3, 341.7e-3, 386.1e-3, 433.9e-3],
    currentOffPmos: [100.1e-3, 119.0e-3, 140.0e-3, 163.3e-3, 188.8e-3, 216.7e-3, 247.0e-3, 279.7e-3, 314.9e-3, 352.6e-3, 392.8e-3],
  },
  "32-LSTP": {
    vdd: 0.9,
    vth: 442.034e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 3.4e-8,
    capIdealGate: 8.375279e-10,
    capFringe: 6.856677e-10,
    effectiveResistanceMultiplier: 1.77,
    currentGmNmos: 2.56e2,
    currentGmPmos: 1.19e2,
    pnSizeRatioTruncated: false,
    currentOnNmos: [600.2, 562.8, 528.2, 496.2, 466.8, 439.7, 414.8, 391.9, 370.7, 351.3, 333.3],
    currentOnPmos: [400.0, 368.4, 340.3, 315.3, 292.9, 272.8, 254.8, 238.5, 223.8, 210.5, 198.4],
    currentOffNmos: [100.1e-6, 143.6e-6, 202.1e-6, 279.3e-6, 379.5e-6, 507.5e-6, 668.8e-6, 869.2e-6, 1115.0e-6, 1415.0e-6, 1774.0e-6],
    currentOffPmos: [100.1e-6, 140.7e-6, 194.0e-6, 262.5e-6, 349.3e-6, 457.7e-6, 591.2e-6, 753.7e-6, 949.3e-6, 1182.0e-6, 1457.0e-6],
  },
  "22-HP": {
    vdd: 0.85,
    vth: 208.9006e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 2.0e-8,
    capIdealGate: 3.287e-10,
    capFringe: 4.532e-10,
    effectiveResistanceMultiplier: 1.54,
    currentGmNmos: 1.08e3,
    currentGmPmos: 6.98e2,
    pnSizeRatioTruncated: false,
    currentOnNmos: [1.5e3, 1.47e3, 1.43e3, 1.39e3, 1.35e3, 1.31e3, 1.28e3, 1.24e3, 1.2e3, 1.17e3, 1.13e3],
    currentOnPmos: [1.32e3, 1.25e3, 1.19e3, 1.13e3, 1.07e3, 1.02e3, 0.97e3, 0.92e3, 0.88e3, 0.84e3, 0.8e3],
    currentOffNmos: [100.2e-3, 120.4e-3, 143.5e-3, 169.5e-3, 198.7e-3, 231.2e-3, 267.0e-3, 306.3e-3, 349.3e-3, 396.0e-3, 446.6e-3],
    currentOffPmos: [100.2e-3, 119.4e-3, 140.8e-3, 164.6e-3, 190.9e-3, 219.5e-3, 250.7e-3, 284.5e-3, 320.9e-3, 359.8e-3, 401.5e-3],
  },
  "22-LSTP": {
    vdd: 0.85,
    vth: 419.915e-3,
    heightFin: 0,
    widthFin: 0,
    pitchFin: 0,
    phyGateLength: 2.0e-8,
    capIdealGate: 5.245e-10,
    capFringe: 8.004e-10,
    effectiveResistanceMultiplier: 1.77,
    currentGmNmos: 4.56e2,
    currentGmPmos: 1.85e2,
    pnSizeRatioTruncated: false,
    currentOnNmos: [791.9, 756.4, 722.2, 689.4, 658.1, 628.3, 600.0, 573.3, 548.0, 524.2, 501.7],
    currentOnPmos: [600.2, 561.3, 525.5, 492.5, 462.2, 434.3, 408.7, 385.1, 363.4, 343.3, 324.8],
    currentOffNmos: [100.0e-6, 147.3e-6, 212.1e-6, 299.6e-6, 415.3e-6, 565.8e-6, 758.9e-6, 1003.0e-6, 1307.0e-6, 1682.0e-6, 2139.0e-6],
    currentOffPmos: [100.0e-6, 147.3e-6, 212.1e-6, 299.6e-6, 415.3e-6, 565.8e-6, 758.9e-6, 1003.0e-6, 1307.0e-6, 1682.0e-6, 2139.0e-6],
  },
  "14-HP": {
    vdd: 0.8,
    vth: 172.9868e-3,
    heightFin: 2.3e-8,
    widthFin: 1.0e-8,
    pitchFin: 3.2e-8,
    phyGateLength: 1.8e-8,
    capIdealGate: 1.2573e-9,
    capFringe: 0,
    effectiveResistanceMultiplier: 1.51,
    currentGmNmos: 1.33e3,
    currentGmPmos: 7.83e2,
    pnSizeRatioTruncated: true,
    currentOnNmos: [1.686e3, 1.652e3, 1.607e3, 1.562e3, 1.517e3, 1.472e3, 1.439e3, 1.394e3, 1.349e3, 1.315e3, 1.27e3],
    currentOnPmos: [1.55e3, 1.468e3, 1.397e3, 1.327e3, 1.256e3, 1.198e3, 1.139e3, 1.08e3, 1.0336e3, 0.986e3, 0.939e3],
    currentOffNmos: [
      100.9152e-3, 150.0786e-3, 218.1063e-3, 310.359e-3, 433.1757e-3, 593.9313e-3, 801.0747e-3, 1.0641, 1.3938, 1.8016, 2.30031,
    ],
    currentOffPmos: [98.6503e-3, 157.5545e-3, 245.1751e-3, 372.5374e-3, 553.7661e-3, 806.5971e-3, 1.1529, 1.619, 2.2361, 3.0405, 4.0733],
  },
  "14-LSTP": {
    vdd: 0.8,
    vth: 382.1222e-3,
    heightFin: 2.3e-8,
    widthFin: 1.0e-8,
    pitchFin: 3.2e-8,
    phyGateLength: 1.8e-8,
    capIdealGate: 1.0572e-9,
    capFringe: 0,
    effectiveResistanceMultiplier: 1.76,
    currentGmNmos: 6.02e2,
    currentGmPmos: 2.36e2,
    pnSizeRatioTruncated: true,
    currentOnNmos: [893, 853, 814, 777, 742, 708, 677, 646, 618, 591, 565],
    currentOnPmos: [820, 767, 718, 672, 631, 593, 558, 526, 496, 469, 443],
    currentOffNmos: [
      99.7866e-6, 184.4553e-6, 328.7707e-6, 566.8658e-6, 948.1816e-6, 1.5425e-3, 2.446e-3, 3.7885e-3, 5.7416e-3, 8.5281e-3, 1.24327e-2,
    ],
    currentOffPmos: [
      102.3333e-6, 203.4774e-6, 389.0187e-6, 717.5912e-6, 1.281e-3, 2.2192e-3, 3.7395e-3, 6.1428e-3, 9.8554e-3, 1.54702e-2, 2.37959e-2,
    ],
  },
  "10-HP": {
    vdd: 0.75,
    vth: 182.8605e-3,
    heightFin: 2.1e-8,
    widthFin: 9e-9,
    pitchFin: 2.8e-8,
    phyGateLength: 1.4e-8,
    capIdealGate: 1.1418e-9,
    capFringe: 0,
    effectiveResistanceMultiplier: 1.49,
    currentGmNmos: 1.56e3,
    currentGmPmos: 8.02e2,
    pnSizeRatioTruncated: true,
    currentOnNmos: [1.769e3, 1.734e3, 1.686e3, 1.639e3, 1.592e3, 1.545e3, 1.51e3, 1.462e3, 1.415e3, 1.38e3, 1.333e3],
    currentOnPmos: [1.626e3, 1.54e3, 1.466e3, 1.392e3, 1.318e3, 1.256e3, 1.195e3, 1.133e3, 1.084e3, 1.035e3, 0.985e3],
    currentOffNmos: [
      100.1203e-3, 148.6272e-3, 215.6467e-3, 306.4157e-3, 427.1264e-3, 584.9857e-3, 788.2578e-3, 1.0463, 1.3695, 1.7694, 2.2584,
    ],
    currentOffPmos: [1.6268e-3, 157.8505e-3, 245.2725e-3, 372.2051e-3, 552.6667e-3, 804.2786e-3, 1.1488, 1.6125, 2.2268, 3.0281, 4.0584],
  },
  "10-LSTP": {
    vdd: 0.75,
    vth: 390.5541e-3,
    heightFin: 2.1e-8,
    widthFin: 9e-9,
    pitchFin: 2.8e-8,
    phyGateLength: 1.4e-8,
    capIdealGate: 9.418984e-10,
    capFringe: 0,
    effectiveResistanceMultiplier: 1.73,
    currentGmNmos: 8.22e2,
    currentGmPmos: 1.9e2,
    pnSizeRatioTruncated: true,
    currentOnNmos: [862, 824, 787, 751, 717, 684, 654, 624, 597, 571, 546],
    currentOnPmos: [775, 725, 678, 636, 597, 561, 527, 497, 469, 443, 419],
    currentOffNmos: [
      99.6973e-6, 184.4892e-6, 329.1615e-6, 568.0731e-6, 951.0401e-6, 1.5484e-3, 2.4574e-3, 3.809e-3, 5.7767e-3, 8.5862e-3, 1.2525e-2,
    ],
    currentOffPmos: [
      100.5839e-6, 200.2609e-6, 383.3239e-6, 707.8499e-6, 1.2649e-3, 2.1932e-3, 3.6987e-3, 6.0804e-3, 9.7622e-3, 1.5334e-2, 2.36007e-2,
    ],
  },
  "7-HP": {
    vdd: 0.7,
    vth: 192.2339e-3,
    heightFin: 1.8e-8,
    widthFin: 7e-9,
    pitchFin: 2.2e-8,
    phyGateLength: 1.1e-8,
    capIdealGate: 1.0487e-9,
    capFringe: 0,
    effectiveResistanceMultiplier: 1.45,
    currentGmNmos: 1.91e3,
    currentGmPmos: 8.02e2,
    pnSizeRatioTruncated: true,
    currentOnNmos: [1912, 1874, 1823, 1772, 1721, 1670, 1632, 1581, 1530, 1491, 1440],
    currentOnPmos: [1685, 1596, 1519, 1442, 1366, 1302, 1238, 1174, 1123, 1072, 1021],
    currentOffNmos: [
      100.2258e-3, 149.0252e-3, 216.5654e-3, 308.1967e-3, 430.2635e-3, 590.1731e-3, 796.4489e-3, 1.0588, 1.388, 1.796, 2.2961,
    ],
    currentOffPmos: [97.9484e-3, 156.3424e-3, 243.1919e-3, 369.4499e-3, 549.1886e-3, 800.1479e-3, 1.1443, 1.6083, 2.2242, 3.0295, 4.0674],
  },
  "7-LSTP": {
    vdd: 0.7,
    vth: 402.5252e-3,
    heightFin: 1.8e-8,
    widthFin: 7e-9,
    pitchFin: 2.2e-8,
    phyGateLength: 1.1e-8,
    capIdealGate: 8.49489e-10,
    capFringe: 0,
    effectiveResistanceMultiplier: 1.73,
    currentGmNmos: 8.22e2,
    currentGmPmos: 1.45e2,
    pnSizeRatioTruncated: true,
    currentOnNmos: [822, 786, 750, 716, 684, 653, 624, 595, 569, 545, 521],
    currentOnPmos: [737, 689, 645, 605, 567, 533, 501, 473, 446, 421, 398],
    currentOffNmos: [1.0e-4, 1.85e-4, 3.32e-4, 5.74e-4, 9.62e-4, 1.5695e-3, 2.4953e-3, 3.8744e-3, 5.8858e-3, 8.7624e-3, 1.28025e-2],
    currentOffPmos: [
      100.9536e-6, 201.3937e-6, 386.2086e-6, 714.4288e-6, 1.2788e-3, 2.2207e-3, 3.7509e-3, 6.175e-3, 9.9278e-3, 1.56146e-2, 2.40633e-2,
    ],
  },
};

/** Fill the 101-entry table from the 11 decade points, as Technology::Initialize interpolates. */
function interpolate(points: readonly number[]): number[] {
  const out = new Array<number>(101).fill(0);
  for (let k = 0; k <= 10; k++) out[k * 10] = points[k] as number;
  for (let i = 1; i < 100; i++) {
    const r = i % 10;
    if (r) {
      const base = Math.floor(i / 10) * 10;
      const a = out[base] as number;
      const b = out[base + 10] as number;
      out[i] = a + ((b - a) * r) / 10;
    }
  }
  return out;
}

// NeuroSim V2.1 Technology.cpp, Initialize (conventional transistors only)
export function technology(featureSizeNm: number, roadmap: DeviceRoadmap): Technology {
  const d = NODE_DATA[`${featureSizeNm}-${roadmap}`];
  if (!d) throw new Error(`NeuroSim has no CMOS technology node ${featureSizeNm} nm`);
  const currentOnNmos = interpolate(d.currentOnNmos);
  const currentOnPmos = interpolate(d.currentOnPmos);
  const ratio = (currentOnNmos[0] as number) / (currentOnPmos[0] as number);
  // FinFET-era nodes only model overlap/fringe inside capIdealGate.
  const capOverlap = featureSizeNm >= 22 ? d.capIdealGate * 0.2 : 0;
  // BSIM4-style junction capacitances scaled by the reverse bias at vdd.
  const cjd = 1e-3;
  const cjswd = 2.5e-10;
  const cjswgd = 0.5e-10;
  const mjd = 0.5;
  const mjswd = 0.33;
  const mjswgd = 0.33;
  const buildInPotential = 0.9;
  return {
    featureSizeInNano: featureSizeNm,
    featureSize: featureSizeNm * 1e-9,
    rramFeatureSize: 0,
    deviceRoadmap: roadmap,
    transistorType: "conventional",
    vdd: d.vdd,
    vth: d.vth,
    heightFin: d.heightFin,
    widthFin: d.widthFin,
    pitchFin: d.pitchFin,
    phyGateLength: d.phyGateLength,
    capIdealGate: d.capIdealGate,
    capFringe: d.capFringe,
    capJunction: cjd / (1 + d.vdd / buildInPotential) ** mjd,
    capOverlap,
    capSidewall: cjswd / (1 + d.vdd / buildInPotential) ** mjswd,
    capDrainToChannel: cjswgd / (1 + d.vdd / buildInPotential) ** mjswgd,
    buildInPotential,
    pnSizeRatio: d.pnSizeRatioTruncated ? Math.trunc(ratio) : ratio,
    effectiveResistanceMultiplier: d.effectiveResistanceMultiplier,
    currentOnNmos,
    currentOnPmos,
    currentOffNmos: interpolate(d.currentOffNmos),
    currentOffPmos: interpolate(d.currentOffPmos),
    currentGmNmos: d.currentGmNmos,
    currentGmPmos: d.currentGmPmos,
    capPolywire: 0,
  };
}
