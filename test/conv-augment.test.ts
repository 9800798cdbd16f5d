// Training-time augmentation: seeded random crop (4-pixel zero padding) and horizontal flip.

import { describe, expect, it } from "vitest";
import { Augmenter, augmentImage, decodeAugmentation } from "../src/data/augment.js";
import { loadDigits } from "../src/data/index.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { train } from "../src/experiment/train.js";
import { loadEngine, streamId } from "../src/index.js";
import { lcgFill } from "./helpers.js";

const SHAPE = [3, 6, 5] as const;
const SIZE = 3 * 6 * 5;

describe("augmentation", () => {
  it("a crop shifts the image by (dy − pad, dx − pad) with zeros coming in; a flip mirrors each row", () => {
    const x = Float32Array.from({ length: SIZE }, (_, i) => i + 1);
    const at = (img: Float32Array, c: number, y: number, w: number) => img[(c * 6 + y) * 5 + w] as number;
    for (const a of [
      { dy: 0, dx: 8, flip: false },
      { dy: 8, dx: 0, flip: true },
      { dy: 4, dx: 4, flip: true },
      { dy: 5, dx: 2, flip: false },
    ]) {
      const img = x.slice();
      augmentImage(img, 0, SHAPE, 4, a, new Float32Array(5));
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 6; y++)
          for (let w = 0; w < 5; w++) {
            const sy = y + a.dy - 4;
            const sx = (a.flip ? 4 - w : w) + a.dx - 4;
            const want = sy >= 0 && sy < 6 && sx >= 0 && sx < 5 ? at(x, c, sy, sx) : 0;
            expect(at(img, c, y, w), `${JSON.stringify(a)} c${c} y${y} x${w}`).toBe(want);
          }
    }
    // The identity: centred, no flip.
    const img = x.slice();
    augmentImage(img, 0, SHAPE, 4, { dy: 4, dx: 4, flip: false }, new Float32Array(5));
    expect(img).toEqual(x);
  });

  it("draws depend only on (seed, epoch, position in the epoch): deterministic, batch-size independent, and cover every offset and both flips", async () => {
    const e = await loadEngine();
    const images = lcgFill(8 * SIZE, 1);
    const run = (seed: number, epoch: number, split: number[]) => {
      const aug = new Augmenter(e, SHAPE, seed, 8);
      const out = images.slice();
      let position = 0;
      for (const n of split) {
        const part = out.subarray(position * SIZE, (position + n) * SIZE);
        aug.apply(part, n, epoch, position);
        position += n;
      }
      return out;
    };
    const a = run(1, 1, [8]);
    expect(a).toHaveLength(images.length);
    expect(run(1, 1, [8])).toEqual(a);
    expect(run(1, 1, [3, 5])).toEqual(a);
    expect(run(1, 2, [8])).not.toEqual(a);
    expect(run(2, 1, [8])).not.toEqual(a);
    // The decoded draws over many positions: offsets uniform over 0…8, flips about half.
    const words = e.arena.tensor([9000], "u32");
    e.kernels.randomBits(1, streamId("augment"), 1, 0, 9000, words.offset);
    const counts = new Array(9).fill(0);
    let flips = 0;
    for (const w of e.u32(words)) {
      const d = decodeAugmentation(w, 4);
      counts[d.dy]++;
      counts[d.dx]++;
      if (d.flip) flips++;
    }
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
    expect(Math.abs(flips - 4500)).toBeLessThan(300);
  });

  it("`augment: true` trains reproducibly on any image dataset, and changes the run", async () => {
    const data = await loadDigits();
    const run = async (augment: boolean) =>
      train(await loadEngine(), data, resolveRunConfig({ algo: "bp", epochs: 2, trainSamples: 300, device: "ideal", augment }));
    const strip = (r: Awaited<ReturnType<typeof run>>) => r.history.map((h) => [h.train_loss, h.test_accuracy]);
    const a = await run(true);
    expect(strip(await run(true))).toEqual(strip(a));
    expect(strip(await run(false))).not.toEqual(strip(a));
    expect(Number.isFinite(a.history[1]?.train_loss)).toBe(true);
  });
});
