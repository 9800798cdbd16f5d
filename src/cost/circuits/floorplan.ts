// The floorplan: how DNN+NeuroSim V2.1 places a network's weight matrices on tiles, PEs and
// sub-arrays (NeuroSim V2.1 Chip.cpp: ChipDesignInitialize, ChipFloorPlan, TileDesignCM,
// TileDesignNM, PEDesign, SubArrayDup, OverallEachLayer; non-pipelined). The tile size starts at
// the widest layer (next power of two of its columns) and halves while memory utilization
// improves; the PE size likewise; weights are then duplicated over spare PEs and sub-arrays.
// Convolutions with the network's most common kernel use the "novel" mapping (one PE per kernel
// position, an adder tree summing their partial sums).
//
// Where NeuroSim's search finds nothing (every layer narrower than the smallest tile, 4 sub-arrays,
// or the smallest novel PE, 2) it stops with "SubArray Size is too large"; cimlearn uses those
// minimum sizes instead (docs/cost-model.md).

/** One row of NeuroSim's NetWork.csv: input map, kernel, output channels, pooling, stride. */
export interface NetLayer {
  ifmH: number;
  ifmW: number;
  ifmC: number;
  kH: number;
  kW: number;
  ofmC: number;
  /** Followed by a 2 × 2 max-pool. */
  pool: boolean;
  stride: number;
}

export interface FloorplanOptions {
  numRowSubArray: number;
  numColSubArray: number;
  numRowPerSynapse: number;
  numColPerSynapse: number;
  novelMapping: boolean;
}

export interface Floorplan {
  /** Per layer: mapped with the novel (kernel-position-per-PE) scheme. */
  novel: boolean[];
  /** PEs per novel tile (the most common kernel area). */
  numPENM: number;
  desiredNumTileNM: number;
  desiredPESizeNM: number;
  desiredNumTileCM: number;
  desiredTileSizeCM: number;
  desiredPESizeCM: number;
  numTileRow: number;
  numTileCol: number;
  /** Tiles of each layer along the weight matrix's rows and columns. */
  tilesRow: number[];
  tilesCol: number[];
  utilization: number[];
  /** Weight copies of each layer along rows and columns (NeuroSim "speed-up"). */
  speedUpRow: number[];
  speedUpCol: number[];
  /** First tile of each layer in the tile grid (for the global H-tree). */
  tileLocRow: number[];
  tileLocCol: number[];
  /** Whole-chip memory utilization. */
  chipUtilization: number;
}

const pow2ceil = (x: number) => 2 ** Math.ceil(Math.log2(x));
const floorOr1 = (x: number) => (Math.floor(x) === 0 ? 1 : Math.floor(x));

/** Rows of a layer's unrolled matrix (C_in · K_h · K_w per synapse row). */
const matrixRows = (l: NetLayer, o: FloorplanOptions) => l.ifmC * l.kH * l.kW * o.numRowPerSynapse;
const matrixCols = (l: NetLayer, o: FloorplanOptions) => l.ofmC * o.numColPerSynapse;

function tileDesignCM(size: number, net: NetLayer[], novel: boolean[], o: FloorplanOptions) {
  let tiles = 0;
  let mapped = 0;
  net.forEach((l, i) => {
    if (novel[i]) return;
    tiles += Math.ceil(matrixRows(l, o) / size) * Math.ceil(matrixCols(l, o) / size);
    mapped += matrixRows(l, o) * matrixCols(l, o);
  });
  return { tiles, utilization: mapped / (tiles * size * size) };
}

function tileDesignNM(peSize: number, numPE: number, net: NetLayer[], novel: boolean[], o: FloorplanOptions) {
  let tiles = 0;
  let mapped = 0;
  net.forEach((l, i) => {
    if (!novel[i]) return;
    tiles += Math.ceil((l.ifmC * o.numRowPerSynapse) / peSize) * Math.ceil(matrixCols(l, o) / peSize);
    mapped += matrixRows(l, o) * matrixCols(l, o);
  });
  return { tiles, utilization: mapped / (tiles * peSize * peSize * numPE) };
}

/** Copies of each conventional layer over a tile's PEs (PEDesign). */
function peDesign(peSize: number, tileSize: number, numTiles: number, net: NetLayer[], novel: boolean[], o: FloorplanOptions) {
  let mapped = 0;
  const row: number[] = [];
  const col: number[] = [];
  net.forEach((l, i) => {
    let dr = 1;
    let dc = 1;
    if (!novel[i]) {
      const r = matrixRows(l, o);
      const c = matrixCols(l, o);
      if (r <= tileSize || c <= tileSize) {
        const pes = Math.ceil(tileSize / peSize);
        dr = floorOr1(pes / Math.ceil(r / peSize));
        dc = floorOr1(pes / Math.ceil(c / peSize));
      }
      mapped += dr * dc * r * c;
    }
    row.push(dr);
    col.push(dc);
  });
  return { row, col, utilization: mapped / (numTiles * tileSize * tileSize) };
}

/** Copies of each layer over a PE's sub-arrays (SubArrayDup). */
function subArrayDup(peSizeCM: number, peSizeNM: number, net: NetLayer[], novel: boolean[], o: FloorplanOptions) {
  const row: number[] = [];
  const col: number[] = [];
  for (const [i, l] of net.entries()) {
    // A novel PE holds one kernel position: C_in rows.
    const r = novel[i] ? l.ifmC * o.numRowPerSynapse : matrixRows(l, o);
    const c = matrixCols(l, o);
    const pe = novel[i] ? peSizeNM : peSizeCM;
    if (r <= pe || c <= pe) {
      row.push(floorOr1(Math.ceil(pe / o.numRowSubArray) / Math.ceil(r / o.numRowSubArray)));
      col.push(floorOr1(Math.ceil(pe / o.numColSubArray) / Math.ceil(c / o.numColSubArray)));
    } else {
      row.push(1);
      col.push(1);
    }
  }
  return { row, col };
}

/** Searches sizes from `start` down to (exclusive) `floor`, halving; keeps the first best utilization. */
function bestSize(start: number, floor: number, utilization: (size: number) => number): number {
  let best = 0;
  let chosen = start;
  for (let size = start; size > floor; size /= 2) {
    const u = utilization(size);
    if (u > best) {
      best = u;
      chosen = size;
    }
  }
  return chosen;
}

export function floorplan(net: NetLayer[], o: FloorplanOptions): Floorplan {
  const sa = o.numRowSubArray;
  // The most common kernel area, counted as NeuroSim counts (ties: the first layer reaching the count).
  let numPENM = 0;
  if (o.novelMapping) {
    let most = 0;
    for (const l of net) {
      const k2 = l.kH * l.kW;
      const count = 1 + net.filter((m) => m.kH * m.kW === k2).length;
      if (count > most) {
        most = count;
        numPENM = k2;
      }
    }
  }
  const novel = net.map((l) => o.novelMapping && l.kH * l.kW === numPENM && matrixRows(l, o) >= sa);
  let maxPESizeNM = 0;
  let maxTileSizeCM = 0;
  net.forEach((l, i) => {
    const cube = pow2ceil(matrixCols(l, o));
    if (novel[i]) maxPESizeNM = Math.max(maxPESizeNM, cube);
    else maxTileSizeCM = Math.max(maxTileSizeCM, cube);
  });
  const anyNovel = novel.some(Boolean);
  const anyConventional = novel.some((n) => !n);

  let desiredPESizeNM = 0;
  let desiredNumTileNM = 0;
  if (anyNovel) {
    const start = Math.max(maxPESizeNM, 2 * sa);
    desiredPESizeNM = bestSize(start, 2 * sa, (size) => tileDesignNM(size, numPENM, net, novel, o).utilization);
    desiredNumTileNM = tileDesignNM(desiredPESizeNM, numPENM, net, novel, o).tiles;
  }
  const startCM = Math.max(maxTileSizeCM, 4 * sa);
  const desiredTileSizeCM = anyConventional ? bestSize(startCM, 4 * sa, (size) => tileDesignCM(size, net, novel, o).utilization) : startCM;
  const desiredNumTileCM = anyConventional ? tileDesignCM(desiredTileSizeCM, net, novel, o).tiles : 0;
  // The PE search continues from the tile search's best utilization (NeuroSim shares one running maximum).
  const tileUtilization = anyConventional ? tileDesignCM(desiredTileSizeCM, net, novel, o).utilization : 0;
  let desiredPESizeCM = desiredTileSizeCM / 2;
  let best = tileUtilization;
  for (let size = desiredTileSizeCM / 2; size > 2 * sa; size /= 2) {
    const u = peDesign(size, desiredTileSizeCM, desiredNumTileCM, net, novel, o).utilization;
    if (u > best) {
      best = u;
      desiredPESizeCM = size;
    }
  }
  const peDup = peDesign(desiredPESizeCM, desiredTileSizeCM, desiredNumTileCM, net, novel, o);
  const saDup = subArrayDup(desiredPESizeCM, desiredPESizeNM, net, novel, o);

  const tilesRow: number[] = [];
  const tilesCol: number[] = [];
  const utilization: number[] = [];
  const speedUpRow: number[] = [];
  const speedUpCol: number[] = [];
  net.forEach((l, i) => {
    const copies = (peDup.row[i] as number) * (peDup.col[i] as number) * (saDup.row[i] as number) * (saDup.col[i] as number);
    if (novel[i]) {
      const tr = Math.ceil((l.ifmC * o.numRowPerSynapse) / desiredPESizeNM);
      const tc = Math.ceil(matrixCols(l, o) / desiredPESizeNM);
      tilesRow.push(tr);
      tilesCol.push(tc);
      utilization.push(
        (copies * l.ifmC * numPENM * o.numRowPerSynapse * matrixCols(l, o)) / (tr * tc * desiredPESizeNM * desiredPESizeNM * numPENM),
      );
    } else {
      const tr = Math.ceil(matrixRows(l, o) / desiredTileSizeCM);
      const tc = Math.ceil(matrixCols(l, o) / desiredTileSizeCM);
      tilesRow.push(tr);
      tilesCol.push(tc);
      utilization.push((copies * matrixRows(l, o) * matrixCols(l, o)) / (tr * tc * desiredTileSizeCM * desiredTileSizeCM));
    }
    speedUpRow.push((peDup.row[i] as number) * (saDup.row[i] as number));
    speedUpCol.push((peDup.col[i] as number) * (saDup.col[i] as number));
  });

  const totalTiles = desiredNumTileCM + desiredNumTileNM;
  const numTileRow = Math.ceil(Math.sqrt(totalTiles));
  const numTileCol = Math.ceil(totalTiles / numTileRow);
  // Tile location as NeuroSim computes it: from the running tile count after each layer (layer 1 at 0,0).
  const tileLocRow: number[] = [];
  const tileLocCol: number[] = [];
  let running = 0;
  net.forEach((_, i) => {
    if (i === 0) {
      tileLocRow.push(0);
      tileLocCol.push(0);
      return;
    }
    running += (tilesRow[i] as number) * (tilesCol[i] as number);
    tileLocRow.push(Math.trunc(running / numTileRow));
    tileLocCol.push((Math.trunc(running) % numTileRow) - 1);
  });
  let mappedTiles = 0;
  net.forEach((_, i) => {
    mappedTiles += (tilesRow[i] as number) * (tilesCol[i] as number) * (utilization[i] as number);
  });
  const tileCount = tilesRow.reduce((s, r, i) => s + r * (tilesCol[i] as number), 0);
  return {
    novel,
    numPENM,
    desiredNumTileNM,
    desiredPESizeNM,
    desiredNumTileCM,
    desiredTileSizeCM,
    desiredPESizeCM,
    numTileRow,
    numTileCol,
    tilesRow,
    tilesCol,
    utilization,
    speedUpRow,
    speedUpCol,
    tileLocRow,
    tileLocCol,
    chipUtilization: mappedTiles / tileCount,
  };
}
