import { statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { concurrentTwaps, runPipeline } from './bench-pipeline.js';
import { atMost, collectGarbage, type BenchContext, type BenchSection, type BenchSectionResult } from './bench-section.js';
import { captureFiles } from './decode.js';
import { repeatRecording } from './repeated-capture.js';

/** Target of the columnar cache, bytes per stored row. */
export const BYTES_PER_EVENT_TARGET = 32;
/** Heap growth over the long replay that still counts as flat: this share of the heap, or `FLAT_FLOOR_BYTES`, whichever is larger. */
const FLAT_SHARE = 0.1;
const FLAT_FLOOR_BYTES = 8 * 1024 * 1024;
/** Bytes per row of a plain layout: ts, kind, sequence, price, quantity, side each in a Float64Array. */
const FLOAT64_PER_FIELD_BYTES = 6 * 8;

/**
 * Memory: bytes per stored row in the columnar cache (against a Float64Array per
 * field and the CSV itself), and the heap over a long replay (the captures repeated)
 * sampled after full collections: it must stay flat.
 */
export const memorySection: BenchSection = {
  id: 'memory',
  title: 'Memory (columnar cache; heap over a long replay)',
  async run(context: BenchContext): Promise<BenchSectionResult> {
    const { recording } = context;
    const rows = recording.rowCount;
    const bytesPerEvent = recording.byteLength / rows;
    const files = captureFiles(context.dataDir, recording.loads.map((load) => load.name));
    let gzipBytes = 0;
    let csvBytes = 0;
    for (const file of files) {
      gzipBytes += statSync(file).size;
      csvBytes += gunzipSync(readFileSync(file)).length;
    }
    const copies = context.quick ? 2 : 10;
    context.progress(`memory: long replay (${copies}× the captures) sampling the heap`);
    const canCollect = collectGarbage();
    const long = await runPipeline({
      recording: repeatRecording(recording, copies),
      orders: concurrentTwaps(1),
      logger: context.logger,
      heapCheckpoints: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    });
    const samples = long.heapSamples ?? [];
    const first = samples[0]?.heapUsedBytes ?? Number.NaN;
    const last = samples[samples.length - 1]?.heapUsedBytes ?? Number.NaN;
    const growth = last - first;
    const rowsBetween = samples.length > 1 ? (long.rows * (samples[samples.length - 1]!.fraction - samples[0]!.fraction)) : Number.NaN;
    const growthPerMillionRows = (growth / rowsBetween) * 1e6;
    const flatLimit = Math.max(FLAT_FLOOR_BYTES, first * FLAT_SHARE);
    return {
      figures: [
        {
          name: 'bytes per stored event (row)',
          value: bytesPerEvent,
          unit: 'B',
          baseline: { name: 'Float64Array per field', value: FLOAT64_PER_FIELD_BYTES },
          target: `≤ ${BYTES_PER_EVENT_TARGET} B`,
          pass: atMost(bytesPerEvent, BYTES_PER_EVENT_TARGET),
        },
        { name: 'CSV bytes per row', value: csvBytes / rows, unit: 'B', baseline: { name: 'gzipped', value: gzipBytes / rows } },
        {
          name: `heap growth, 10% → 100% of a ${copies}× replay`,
          value: growth / 1_048_576,
          unit: 'MiB',
          baseline: { name: 'heap at 10%', value: first / 1_048_576 },
          target: `flat (≤ ${(flatLimit / 1_048_576).toFixed(1)} MiB)`,
          pass: canCollect ? atMost(growth, flatLimit) : undefined,
        },
      ],
      notes: [
        `Columns: ${(recording.byteLength / 1e6).toFixed(1)} MB for ${rows.toLocaleString('en-US')} rows in ${recording.eventCount.toLocaleString('en-US')} messages (price 8 B + quantity 8 B + side 1 B per row; time, sequence, row end and kind per message).`,
        `Heap after full GC at ${samples.map((sample) => `${Math.round(sample.fraction * 100)}%: ${(sample.heapUsedBytes / 1_048_576).toFixed(1)}`).join(', ')} MiB` +
          (canCollect ? '.' : ' (run node with --expose-gc for collected samples; pass/fail not judged).'),
      ],
      json: {
        bytesPerEvent,
        float64PerFieldBytesPerEvent: FLOAT64_PER_FIELD_BYTES,
        csvBytesPerEvent: csvBytes / rows,
        gzipBytesPerEvent: gzipBytes / rows,
        columnBytes: recording.byteLength,
        rows,
        messages: recording.eventCount,
        longReplay: { copies, rows: long.rows, heapSamples: samples, heapGrowthBytes: growth, heapGrowthPerMillionRowsBytes: growthPerMillionRows, flat: canCollect ? growth <= flatLimit : null },
      },
    };
  },
};
