// NeuroSim V2.1 DRAM.cpp: off-chip memory as a fixed bandwidth and energy per bit.
import { FunctionUnit } from "./function-unit.js";

// NeuroSim V2.1 DRAM.cpp
export class DRAM extends FunctionUnit {
  initialized = false;
  /** bit/s */
  bandwidth = 0;
  /** J/bit */
  energyperbit = 0;

  // NeuroSim V2.1 DRAM.cpp, Initialize (1: GDDR5, 2: HBM2, -1: leave unset)
  initialize(dramType: number): void {
    switch (dramType) {
      case 1:
        this.bandwidth = 4.288e12;
        this.energyperbit = 14e-12;
        break;
      case 2:
        this.bandwidth = 15.2e12;
        this.energyperbit = 3.9e-12;
        break;
      case -1:
        break;
      default:
        throw new Error(`[DRAM] invalid DRAM type ${dramType}`); // NeuroSim exits
    }
    this.initialized = true;
  }

  // NeuroSim V2.1 DRAM.cpp, CalculateLatency (numRead is a bit count)
  calculateLatency(numRead: number): void {
    if (!this.initialized) return;
    this.readLatency = numRead / this.bandwidth;
  }

  // NeuroSim V2.1 DRAM.cpp, CalculatePower
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    this.readDynamicEnergy = this.energyperbit * numRead;
  }
}
