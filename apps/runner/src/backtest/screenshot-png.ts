import { deflateSync, inflateSync } from 'node:zlib';

/**
 * Re-encodes an 8-bit RGB PNG (what Chromium's screenshots are) as an indexed PNG of at most
 * `maxColours` colours, so a full-page report screenshot fits in a docs folder: charts and text
 * on a flat page use few colours, and anti-aliasing shades map to the nearest one kept. The
 * palette is chosen greedily, most frequent colours first, skipping any too close to one
 * already kept (with the smallest spacing that fits), so rare but distinct colours such as
 * legend swatches survive. Other PNG kinds are returned unchanged.
 */
export function quantizePng(png: Buffer, maxColours = 256): Buffer {
  const image = decodeRgbPng(png);
  if (image === null) return png;
  const { width, height, pixels } = image;
  const counts = new Map<number, number>();
  for (let offset = 0; offset < pixels.length; offset += 3) {
    const colour = (pixels[offset] << 16) | (pixels[offset + 1] << 8) | pixels[offset + 2];
    counts.set(colour, (counts.get(colour) ?? 0) + 1);
  }
  const palette = choosePalette(
    [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([colour]) => colour),
    Math.max(2, Math.min(256, maxColours)),
  );
  const nearest = new Map<number, number>();
  const indexOf = (colour: number): number => {
    let index = nearest.get(colour);
    if (index === undefined) {
      let best = Infinity;
      palette.forEach((candidate, candidateIndex) => {
        const d = colourDistance(colour, candidate);
        if (d < best) [best, index] = [d, candidateIndex];
      });
      nearest.set(colour, index!);
    }
    return index!;
  };
  const rows = Buffer.alloc((width + 1) * height); // filter byte 0 (none) on every row: best for indexed images
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      rows[y * (width + 1) + 1 + x] = indexOf((pixels[offset] << 16) | (pixels[offset + 1] << 8) | pixels[offset + 2]);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 3; // indexed colour
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((colour, index) => plte.set([colour >> 16, (colour >> 8) & 255, colour & 255], index * 3));
  return Buffer.concat([png.subarray(0, 8), chunk('IHDR', header), chunk('PLTE', plte), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Perceptually weighted squared distance between two 0xRRGGBB colours. */
function colourDistance(a: number, b: number): number {
  return 2 * ((a >> 16) - (b >> 16)) ** 2 + 4 * (((a >> 8) & 255) - ((b >> 8) & 255)) ** 2 + 3 * ((a & 255) - (b & 255)) ** 2;
}

function choosePalette(byFrequency: number[], maxColours: number): number[] {
  if (byFrequency.length <= maxColours) return byFrequency;
  const pick = (spacing: number): number[] | null => {
    const chosen: number[] = [];
    for (const colour of byFrequency) {
      if (chosen.every((kept) => colourDistance(colour, kept) > spacing)) chosen.push(colour);
      if (chosen.length > maxColours) return null;
    }
    return chosen;
  };
  let low = 0;
  let high = 9 * 255 * 255; // more than any distance: keeps only the most frequent colour
  let palette = pick(high)!;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    const chosen = pick(middle);
    if (chosen === null) low = middle;
    else [high, palette] = [middle, chosen];
  }
  return palette;
}

/** The pixels of an 8-bit, non-interlaced RGB PNG, or null for any other kind. */
function decodeRgbPng(png: Buffer): { width: number; height: number; pixels: Buffer } | null {
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  for (let offset = 8; offset + 8 <= png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      if (body[8] !== 8 || body[9] !== 2 || body[12] !== 0) return null;
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  if (width === 0 || data.length === 0) return null;
  const filtered = inflateSync(Buffer.concat(data));
  const stride = width * 3;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = filtered[y * (stride + 1)];
    const line = filtered.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const above = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const left = x >= 3 ? row[x - 3] : 0;
      const up = above ? above[x] : 0;
      const upLeft = above && x >= 3 ? above[x - 3] : 0;
      row[x] = (line[x] + predictor(filter, left, up, upLeft)) & 255;
    }
  }
  return { width, height, pixels };
}

/** PNG filter predictors: none, sub, up, average, Paeth. */
function predictor(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    default: {
      const estimate = left + up - upLeft;
      const [toLeft, toUp, toUpLeft] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
      return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }
  }
}

/** CRC-32 of PNG chunks (zlib.crc32 needs Node 20.15; the repo supports 20.11). */
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'ascii');
  body.copy(out, 8);
  out.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), body])), 8 + body.length);
  return out;
}
