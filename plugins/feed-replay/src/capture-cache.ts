import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaptureFiles } from './capture-catalog.js';
import { ColumnarCapture, type CaptureColumns, type CaptureInfo } from './columnar-capture.js';

const MAGIC = 'TRNCHCAP';
/** Bumped whenever the decoder or the layout changes, so old files are rebuilt. */
const FORMAT_VERSION = 1;
const EXTENSION = '.trcap';
const PREFIX_BYTES = 16;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface CacheHeader {
  key: string;
  littleEndian: boolean;
  eventCount: number;
  rowCount: number;
  checksum: string;
  info: CaptureInfo;
}

/** Why `CaptureCache.load` returned nothing. */
export type CacheMissReason = 'missing' | 'rejected';

/**
 * A directory of decoded captures in a binary columnar form, one file per capture
 * keyed by the source files' path, size and mtime: loading one is a file read and a
 * checksum, no CSV parsing. Corrupt, foreign or outdated files are ignored (and
 * replaced on the next `store`).
 */
export class CaptureCache {
  /** @param dir cache directory (created on the first `store`). */
  constructor(readonly dir: string) {}

  /** The cache key of a capture: a hash of its files' paths, sizes and mtimes and the format version. */
  key(capture: CaptureFiles): string {
    const files = [capture.depth, capture.trades].filter((file): file is string => file !== undefined).map((file) => {
      const stats = statSync(file);
      return [resolve(file), stats.size, stats.mtimeMs];
    });
    return createHash('sha1').update(JSON.stringify([FORMAT_VERSION, capture.name, capture.symbol, files])).digest('hex');
  }

  /** Path of the cache file of a capture. */
  fileOf(capture: CaptureFiles, key = this.key(capture)): string {
    return join(this.dir, `${capture.name}.${key.slice(0, 16)}${EXTENSION}`);
  }

  /** The cached decode of `capture`, or why there is none. */
  load(capture: CaptureFiles): ColumnarCapture | CacheMissReason {
    const key = this.key(capture);
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.fileOf(capture, key));
    } catch {
      return 'missing';
    }
    return decodeCacheFile(bytes, key) ?? 'rejected';
  }

  /** Writes `decoded` as the cache file of `capture` (atomically) and removes its outdated files. */
  store(capture: CaptureFiles, decoded: ColumnarCapture): string {
    const key = this.key(capture);
    const file = this.fileOf(capture, key);
    mkdirSync(this.dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, encodeCacheFile(decoded, key));
    renameSync(temporary, file);
    for (const name of readdirSync(this.dir)) {
      if (name.startsWith(`${capture.name}.`) && name.endsWith(EXTENSION) && join(this.dir, name) !== file) {
        try {
          unlinkSync(join(this.dir, name));
        } catch {
          // Another process may have removed it already.
        }
      }
    }
    return file;
  }
}

/** The column arrays in file order; 8-byte columns first so every view stays aligned. */
function columnList(columns: CaptureColumns): ArrayBufferView[] {
  return [columns.eventTs, columns.eventSequence, columns.rowPrice, columns.rowQuantity, columns.eventRowEnd, columns.eventKind, columns.rowSide];
}

function encodeCacheFile(decoded: ColumnarCapture, key: string): Buffer {
  const arrays = columnList(decoded.columns).map((array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  const hash = createHash('sha1');
  for (const array of arrays) hash.update(array);
  const header: CacheHeader = {
    key,
    littleEndian: LITTLE_ENDIAN,
    eventCount: decoded.eventCount,
    rowCount: decoded.rowCount,
    checksum: hash.digest('hex'),
    info: decoded.info,
  };
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const padding = (8 - ((PREFIX_BYTES + json.length) % 8)) % 8;
  json = Buffer.concat([json, Buffer.alloc(padding, 0x20)]);
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(FORMAT_VERSION, 8);
  prefix.writeUInt32LE(json.length, 12);
  return Buffer.concat([prefix, json, ...arrays]);
}

function decodeCacheFile(bytes: Buffer, key: string): ColumnarCapture | undefined {
  if (bytes.length < PREFIX_BYTES || bytes.toString('latin1', 0, 8) !== MAGIC) return undefined;
  if (bytes.readUInt32LE(8) !== FORMAT_VERSION) return undefined;
  const headerLength = bytes.readUInt32LE(12);
  if (PREFIX_BYTES + headerLength > bytes.length) return undefined;
  let header: CacheHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerLength)) as CacheHeader;
  } catch {
    return undefined;
  }
  if (header === null || typeof header !== 'object' || header.key !== key || header.littleEndian !== LITTLE_ENDIAN) return undefined;
  const { eventCount, rowCount } = header;
  if (!Number.isSafeInteger(eventCount) || !Number.isSafeInteger(rowCount) || eventCount < 0 || rowCount < 0) return undefined;
  const payloadStart = PREFIX_BYTES + headerLength;
  const payloadLength = eventCount * (8 + 8 + 4 + 1) + rowCount * (8 + 8 + 1);
  if (bytes.length !== payloadStart + payloadLength) return undefined;
  const payload = bytes.subarray(payloadStart);
  if (createHash('sha1').update(payload).digest('hex') !== header.checksum) return undefined;
  // Views need an 8-byte aligned offset; copy the payload once if the read buffer is not.
  const aligned = (bytes.byteOffset + payloadStart) % 8 === 0 ? payload : Buffer.from(payload);
  const buffer = aligned.buffer;
  let offset = aligned.byteOffset;
  const take = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, length: number, width: number): T => {
    const view = make(buffer, offset, length);
    offset += length * width;
    return view;
  };
  const columns: CaptureColumns = {
    eventTs: take((b, o, n) => new Float64Array(b, o, n), eventCount, 8),
    eventSequence: take((b, o, n) => new Float64Array(b, o, n), eventCount, 8),
    rowPrice: take((b, o, n) => new Float64Array(b, o, n), rowCount, 8),
    rowQuantity: take((b, o, n) => new Float64Array(b, o, n), rowCount, 8),
    eventRowEnd: take((b, o, n) => new Uint32Array(b, o, n), eventCount, 4),
    eventKind: take((b, o, n) => new Uint8Array(b, o, n), eventCount, 1),
    rowSide: take((b, o, n) => new Uint8Array(b, o, n), rowCount, 1),
  };
  if (eventCount > 0 && columns.eventRowEnd[eventCount - 1] !== rowCount) return undefined;
  return new ColumnarCapture(header.info, columns);
}
