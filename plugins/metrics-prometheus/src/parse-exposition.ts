/** One sample of a parsed exposition. */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed Prometheus text exposition: `# TYPE` and `# HELP` by family, and every sample. */
export interface ParsedExposition {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: ParsedSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/gy;

/**
 * Parses the Prometheus text format (0.0.4; `NaN` in any case, as Go's ParseFloat reads it) strictly: a line it cannot read throws, so a
 * test that scrapes `/metrics` also checks the exposition is well-formed.
 */
export function parseExposition(text: string): ParsedExposition {
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: ParsedSample[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const meta = /^# (TYPE|HELP) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
      if (meta?.[1] === 'TYPE') types.set(meta[2]!, meta[3]!);
      else if (meta?.[1] === 'HELP') help.set(meta[2]!, meta[3]!);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`exposition line ${index + 1} is not a sample: ${line}`);
    const labels: Record<string, string> = {};
    const body = match[2] ?? '';
    LABEL.lastIndex = 0;
    let consumed = 0;
    let label: RegExpExecArray | null;
    while ((label = LABEL.exec(body)) !== null) {
      labels[label[1]!] = label[2]!.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
      consumed = LABEL.lastIndex;
    }
    if (consumed !== body.length) throw new Error(`exposition line ${index + 1} has malformed labels: ${line}`);
    const raw = match[3]!;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    if (Number.isNaN(value) && raw.toLowerCase() !== 'nan') throw new Error(`exposition line ${index + 1} has a bad value: ${line}`);
    samples.push({ name: match[1]!, labels, value });
  }
  return { types, help, samples };
}
