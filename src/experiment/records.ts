// What a training run records per epoch (train.ts writes it; checkpoints, sweeps and reports keep it).

import type { LayerAlignment } from "../learning/alignment.js";

export interface EpochRecord {
  epoch: number;
  train_loss: number;
  train_accuracy: number;
  test_loss: number;
  test_accuracy: number;
  seconds: number;
  samples_per_second: number;
  /** Per hidden layer: the rule's δ and update against BP's on the probe batch (config.alignmentProbe). */
  alignment?: LayerAlignment[];
}
