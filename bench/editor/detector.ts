// A single-shot detector's pre- and post-processing, written for `npm run bench:lint`'s editor-path
// figures: a module of about 290 lines shaped like the TF.js model wrappers people edit (anchors,
// box decoding, non-maximum suppression, keypoint smoothing, a small fine-tuning step). It mixes
// vectorized TF.js calls with the element loops and read-backs the plugin looks for.
import * as tf from '@tensorflow/tfjs';

export interface Box {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface Detection {
  box: Box;
  score: number;
  label: number;
  keypoints: [number, number][];
}

export interface DetectorConfig {
  inputSize: number;
  strides: number[];
  anchorsPerCell: number;
  scoreThreshold: number;
  iouThreshold: number;
  maxDetections: number;
  numKeypoints: number;
}

export const DEFAULT_CONFIG: DetectorConfig = {
  inputSize: 256,
  strides: [8, 16, 32],
  anchorsPerCell: 2,
  scoreThreshold: 0.5,
  iouThreshold: 0.3,
  maxDetections: 10,
  numKeypoints: 7,
};

/** Anchor centres, one row [cx, cy] per anchor, in input pixels. */
export function generateAnchors(config: DetectorConfig): tf.Tensor2D {
  const rows: number[][] = [];
  for (const stride of config.strides) {
    const cells = Math.ceil(config.inputSize / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let k = 0; k < config.anchorsPerCell; k++) {
          rows.push([(x + 0.5) * stride, (y + 0.5) * stride]);
        }
      }
    }
  }
  return tf.tensor2d(rows);
}

/** Resize and scale an image to the model's input: [1, size, size, 3] in [-1, 1]. */
export function preprocess(image: tf.Tensor3D, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const resized = tf.image.resizeBilinear(image, [size, size]);
    const scaled = tf.sub(tf.div(resized, 127.5), 1);
    return tf.expandDims(scaled, 0) as tf.Tensor4D;
  });
}

/** The logistic function of every raw score, computed element by element. */
export function scoresOf(logits: tf.Tensor1D): Float32Array {
  const raw = logits.dataSync();
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    out[i] = 1 / (1 + Math.exp(-raw[i]));
  }
  return out;
}

/** Box offsets [dx, dy, w, h] relative to each anchor, as corner boxes in pixels. */
export function decodeBoxes(offsets: tf.Tensor2D, anchors: tf.Tensor2D, size: number): tf.Tensor2D {
  const n = offsets.shape[0];
  const d = offsets.dataSync();
  const a = anchors.dataSync();
  const out = tf.buffer([n, 4]);
  for (let i = 0; i < n; i++) {
    const cx = d[i * 4] + a[i * 2];
    const cy = d[i * 4 + 1] + a[i * 2 + 1];
    const w = d[i * 4 + 2];
    const h = d[i * 4 + 3];
    out.set((cy - h / 2) / size, i, 0);
    out.set((cx - w / 2) / size, i, 1);
    out.set((cy + h / 2) / size, i, 2);
    out.set((cx + w / 2) / size, i, 3);
  }
  return out.toTensor() as tf.Tensor2D;
}

function area(b: Box): number {
  return Math.max(0, b.bottom - b.top) * Math.max(0, b.right - b.left);
}

export function iou(a: Box, b: Box): number {
  const top = Math.max(a.top, b.top);
  const left = Math.max(a.left, b.left);
  const bottom = Math.min(a.bottom, b.bottom);
  const right = Math.min(a.right, b.right);
  const inter = Math.max(0, bottom - top) * Math.max(0, right - left);
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** Box i of a [n, 4] tensor, read back on every call. */
function boxAt(boxes: tf.Tensor2D, i: number): Box {
  const [top, left, bottom, right] = boxes.arraySync()[i];
  return { top, left, bottom, right };
}

/** Greedy non-maximum suppression in JavaScript: indices of the boxes kept, best first. */
export function suppress(boxes: tf.Tensor2D, scores: Float32Array, config: DetectorConfig): number[] {
  const order = Array.from(scores.keys())
    .filter((i) => scores[i] >= config.scoreThreshold)
    .sort((i, j) => scores[j] - scores[i]);
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= config.maxDetections) break;
    let overlaps = false;
    for (const j of kept) {
      if (iou(boxAt(boxes, i), boxAt(boxes, j)) > config.iouThreshold) {
        overlaps = true;
        break;
      }
    }
    if (!overlaps) kept.push(i);
  }
  return kept;
}

/** The same selection with TF.js's own kernel: one read-back for the indices. */
export async function suppressFast(boxes: tf.Tensor2D, scores: tf.Tensor1D, config: DetectorConfig): Promise<number[]> {
  const selected = await tf.image.nonMaxSuppressionAsync(
    boxes,
    scores,
    config.maxDetections,
    config.iouThreshold,
    config.scoreThreshold,
  );
  const indices = Array.from(await selected.data());
  selected.dispose();
  return indices;
}

/** Keypoints of the kept detections: [n, k, 2] offsets from each anchor. */
export function keypointsOf(raw: tf.Tensor3D, anchors: tf.Tensor2D, kept: number[]): [number, number][][] {
  const all = raw.arraySync();
  const centres = anchors.arraySync();
  return kept.map((i) => all[i].map(([dx, dy]): [number, number] => [centres[i][0] + dx, centres[i][1] + dy]));
}

/** Row sums of a score map, one per class. */
export function classTotals(scoreMap: tf.Tensor2D): number[] {
  const [classes, cells] = scoreMap.shape;
  const values = scoreMap.dataSync();
  const totals: number[] = [];
  for (let c = 0; c < classes; c++) {
    let s = 0;
    for (let j = 0; j < cells; j++) s += values[c * cells + j];
    totals.push(s);
  }
  return totals;
}

/** The best class of each anchor, with its score. */
export function bestClass(classScores: tf.Tensor2D): { label: number[]; score: number[] } {
  const rows = classScores.arraySync();
  const label: number[] = [];
  const score: number[] = [];
  for (const row of rows) {
    let best = -Infinity;
    let at = 0;
    for (let k = 0; k < row.length; k++) {
      if (row[k] > best) {
        best = row[k];
        at = k;
      }
    }
    label.push(at);
    score.push(best);
  }
  return { label, score };
}

/** Exponential smoothing of keypoints across video frames. */
export class KeypointFilter {
  private previous: tf.Tensor2D | undefined;

  constructor(private readonly alpha: number) {}

  apply(keypoints: tf.Tensor2D): tf.Tensor2D {
    if (!this.previous) {
      this.previous = tf.clone(keypoints);
      return keypoints;
    }
    const smoothed = tf.tidy(() =>
      tf.add(tf.mul(keypoints, this.alpha), tf.mul(this.previous as tf.Tensor2D, 1 - this.alpha)),
    ) as tf.Tensor2D;
    this.previous.dispose();
    this.previous = tf.clone(smoothed);
    return smoothed;
  }

  reset(): void {
    this.previous?.dispose();
    this.previous = undefined;
  }
}

/** Scale each frame's keypoints to the video size; every frame makes tensors that are never freed. */
export function scaleTracks(tracks: tf.Tensor2D[], width: number, height: number): number[][][] {
  const out: number[][][] = [];
  for (const track of tracks) {
    const scale = tf.tensor1d([width, height]);
    const scaled = tf.mul(track, scale);
    out.push(scaled.arraySync() as number[][]);
  }
  return out;
}

/** A few steps of fine-tuning the score head on labelled anchors. */
export async function fineTune(
  head: tf.LayersModel,
  features: tf.Tensor2D,
  labels: tf.Tensor1D,
  steps: number,
): Promise<number[]> {
  const optimizer = tf.train.adam(1e-3);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const cost = optimizer.minimize(() => {
      const logits = head.apply(features) as tf.Tensor2D;
      const probs = tf.sigmoid(tf.squeeze(logits, [1]));
      const p = probs.dataSync();
      const weights = new Float32Array(p.length);
      for (let i = 0; i < p.length; i++) weights[i] = p[i] > 0.5 ? 1 : 2;
      return tf.losses.sigmoidCrossEntropy(labels, tf.squeeze(logits, [1]), tf.tensor1d(weights)) as tf.Scalar;
    }, true);
    if (cost) {
      losses.push((await cost.data())[0]);
      cost.dispose();
    }
    await tf.nextFrame();
  }
  return losses;
}

/** The whole pipeline: image in, detections out. */
export class Detector {
  private readonly anchors: tf.Tensor2D;

  constructor(
    private readonly model: tf.GraphModel,
    private readonly config: DetectorConfig = DEFAULT_CONFIG,
  ) {
    this.anchors = generateAnchors(config);
  }

  async detect(image: tf.Tensor3D): Promise<Detection[]> {
    const input = preprocess(image, this.config.inputSize);
    const [rawBoxes, rawScores, rawKeypoints] = this.model.predict(input) as tf.Tensor[];
    input.dispose();
    const offsets = tf.squeeze(rawBoxes, [0]) as tf.Tensor2D;
    const logits = tf.squeeze(rawScores, [0]) as tf.Tensor1D;
    const boxes = decodeBoxes(offsets, this.anchors, this.config.inputSize);
    const scores = scoresOf(logits);
    const kept = suppress(boxes, scores, this.config);
    const n = this.config.numKeypoints;
    const keypoints = keypointsOf(tf.reshape(rawKeypoints, [-1, n, 2]) as tf.Tensor3D, this.anchors, kept);
    const corners = boxes.arraySync();
    const detections = kept.map((i, k) => ({
      box: { top: corners[i][0], left: corners[i][1], bottom: corners[i][2], right: corners[i][3] },
      score: scores[i],
      label: 0,
      keypoints: keypoints[k],
    }));
    tf.dispose([rawBoxes, rawScores, rawKeypoints, offsets, logits, boxes]);
    return detections;
  }

  dispose(): void {
    this.anchors.dispose();
  }
}
