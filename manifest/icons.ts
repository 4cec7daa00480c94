// Teams app icons drawn in code: a white chat bubble (with three "typing" dots) on the accent colour.
// No image library: a tiny PNG encoder over node's zlib, and shapes sampled 4×4 per pixel for smooth edges.
import { deflateSync } from 'zlib';

/** Must equal `accentColor` in manifest.template.json (the tests check it). */
export const ACCENT_COLOR = '#0F6CBD';

// ---- PNG encoder -------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes 8-bit RGB (channels 3, colour type 2) or RGBA (channels 4, colour type 6) pixels, row-major. */
export function encodePng(width: number, height: number, channels: 3 | 4, pixels: Uint8Array): Buffer {
  if (pixels.length !== width * height * channels) throw new Error('encodePng: pixel buffer has the wrong size');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 4 ? 6 : 2; // colour type
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    Buffer.from(pixels.buffer, pixels.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- The glyph, in unit coordinates (0..1 across the icon) --------------------------------------

function inRoundedRect(x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inTriangle(x: number, y: number, [ax, ay]: number[], [bx, by]: number[], [cx, cy]: number[]): boolean {
  const side = (px: number, py: number, qx: number, qy: number) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = side(ax!, ay!, bx!, by!);
  const d2 = side(bx!, by!, cx!, cy!);
  const d3 = side(cx!, cy!, ax!, ay!);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** True where the white glyph is: a speech bubble with a tail, minus three dots. */
function inGlyph(x: number, y: number, bubble: [number, number, number, number]): boolean {
  const [x0, y0, x1, y1] = bubble;
  const w = x1 - x0;
  const h = y1 - y0;
  const body =
    inRoundedRect(x, y, x0, y0, x1, y1, Math.min(w, h) * 0.28) ||
    inTriangle(x, y, [x0 + w * 0.18, y1 - 0.01], [x0 + w * 0.14, y1 + h * 0.38], [x0 + w * 0.46, y1 - 0.01]);
  if (!body) return false;
  const dotR = h * 0.12;
  const cy = y0 + h / 2;
  for (const fx of [0.28, 0.5, 0.72]) {
    if ((x - (x0 + w * fx)) ** 2 + (y - cy) ** 2 <= dotR * dotR) return false;
  }
  return true;
}

/** Fraction (0..1) of the pixel covered by the glyph, sampled 4×4. */
function coverage(px: number, py: number, size: number, bubble: [number, number, number, number]): number {
  const n = 4;
  let hits = 0;
  for (let sy = 0; sy < n; sy++) {
    for (let sx = 0; sx < n; sx++) {
      if (inGlyph((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, bubble)) hits++;
    }
  }
  return hits / (n * n);
}

function hexToRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

/** 192×192 full-colour icon: the white bubble on a solid accent-colour square (opaque RGB). */
export function colorIcon(): Buffer {
  const size = 192;
  const [r, g, b] = hexToRgb(ACCENT_COLOR);
  const pixels = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(x, y, size, [0.2, 0.24, 0.8, 0.64]);
      const i = (y * size + x) * 3;
      pixels[i] = Math.round(r + (255 - r) * a);
      pixels[i + 1] = Math.round(g + (255 - g) * a);
      pixels[i + 2] = Math.round(b + (255 - b) * a);
    }
  }
  return encodePng(size, size, 3, pixels);
}

/** 32×32 outline icon: only white pixels, the glyph in the alpha channel, transparent elsewhere. */
export function outlineIcon(): Buffer {
  const size = 32;
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      pixels[i] = 255;
      pixels[i + 1] = 255;
      pixels[i + 2] = 255;
      pixels[i + 3] = Math.round(255 * coverage(x, y, size, [0.06, 0.12, 0.94, 0.7]));
    }
  }
  return encodePng(size, size, 4, pixels);
}
