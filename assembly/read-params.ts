// Analog reads of a crossbar array through its ADCs.
//
// A read applies inputs to `K` input lines (rows for a forward read, columns
// for a transposed read) and senses `N` output lines. The input lines are cut
// into sub-arrays of `blockRows`; each sub-array's output currents (partial
// sums, in siemens × input units) pass a column ADC, and the digitized partial
// sums are added across sub-arrays (and, for bit-serial inputs, shifted and
// added across input bits). Conductances are f32 siemens, K × N row-major with
// leading dimension `ldg` (a transposed read is given the transposed matrix).
//
// This file holds the read's parameter block and counters; adc.ts digitizes, bit-serial.ts applies
// inputs bit by bit, read-noise.ts adds read noise, conductance.ts turns conductances into weights.

/** Parameters of a read, written by the host at `p` (see src/device/crossbar.ts for the layout). */
export const READ_PARAM_BYTES: i32 = 64;
export const READ_AT_ADC_BITS: usize = 0; // i32; 0 = ideal ADC
export const READ_AT_ADC_MODE: usize = 4; // i32; 0 = min–max of the partial sums, 1 = fixed range [lo, hi], 2 = MLP+NeuroSim V3.0 (full scale hi)
export const READ_AT_SEED: usize = 8; // u32
export const READ_AT_STREAM: usize = 12; // u32
export const READ_AT_STEP: usize = 16; // u32
export const READ_AT_ADC_LO: usize = 24; // f64
export const READ_AT_ADC_HI: usize = 32; // f64
export const READ_AT_NOISE: usize = 40; // f64: σ of one device's read current, in siemens × input unit
export const READ_AT_GREF: usize = 48; // f64: reference-column conductance (0: no reference column)

/** Counts added at `counts` (f64): [0] sub-array reads, [1] active input lines summed over reads, [2] ADC conversions. */
export const READ_COUNT_SLOTS: i32 = 3;
