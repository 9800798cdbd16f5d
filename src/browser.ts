// The public API for browsers and web workers: the same engine, loaded with fetch.

export { explainCost } from "./cost/explain.js";
export { formatCostReport } from "./cost/format.js";
export { type GanttChart, ganttSvg } from "./cost/gantt.js";
export { type CostReport, costInputOf, estimateCost } from "./cost/index.js";
export { type FetchLoadOptions, loadDataset } from "./data/fetch.js";
export * from "./data/index.js";
export { CrossbarArray, type ReadSettings } from "./device/crossbar.js";
export { deviceCurve } from "./device/curve.js";
export type { DeviceParams, DevicePreset } from "./device/params.js";
export { DEVICE_PRESET_IDS, DEVICE_PRESETS, findDevicePreset } from "./device/presets.js";
export * from "./engine/index.js";
export { type LoadOptions, loadEngine } from "./engine/load-browser.js";
export {
  type Checkpoint,
  type CheckpointHeader,
  decodeCheckpoint,
  encodeCheckpoint,
  restoreCheckpoint,
  type TrainingProgress,
} from "./experiment/checkpoint.js";
export { type ResolvedRunConfig, type RunConfig, resolveRunConfig, runConfigSchema } from "./experiment/config.js";
export { type DeployOptions, type DeployResult, evaluateCheckpoint, parseDuration } from "./experiment/deploy.js";
export {
  account,
  DivergenceError,
  type EpochRecord,
  type ScheduleCost,
  type Simulation,
  scheduleCosts,
  simulate,
  type TrainHooks,
  type TrainResult,
  train,
} from "./experiment/train.js";
export type { LearningRule } from "./learning/rule.js";
export { ALGORITHMS, type Algorithm, BASELINE, LEARNING_RULES } from "./learning/rules.js";
export { Network } from "./nn/network.js";
export { parseModelSpec } from "./nn/spec.js";
export { VERSION } from "./version.js";
