import type { ExecutionEvent } from '@tranche/core';

/** What the progress display shows. */
export interface ProgressState {
  requested: number;
  filled: number;
  working: number;
  scheduled?: number;
  fills: number;
  /** Virtual (data) time, epoch ms. */
  ts: number;
  lastPrice?: number;
}

/**
 * Folds one execution event into the progress `state`: fills (each fill id once, as a
 * taken-over execution may report a fill twice), progress, child-order updates and the
 * end. Says whether the bar should redraw (`tick`) or draw its last line (`ended`).
 */
export function foldProgress(state: ProgressState, event: ExecutionEvent, seenFills: Set<string>): 'tick' | 'ended' | undefined {
  switch (event.type) {
    case 'fill':
      if (seenFills.has(event.fill.fillId)) return undefined;
      seenFills.add(event.fill.fillId);
      state.fills++;
      state.lastPrice = event.fill.price;
      return undefined;
    case 'progress':
      state.filled = event.filledQuantity;
      state.working = event.workingQuantity;
      state.ts = event.ts;
      if (event.scheduledQuantity !== undefined) state.scheduled = event.scheduledQuantity;
      return 'tick';
    case 'child-order-updated':
      state.ts = event.ts;
      return 'tick';
    case 'execution-ended':
      state.ts = event.ts;
      state.filled = event.report.filledQuantity;
      state.working = 0;
      return 'ended';
    default:
      return undefined;
  }
}

/**
 * A one-line progress bar on a terminal (redrawn in place, at most every 50 ms of wall
 * time), or a line per 10% of progress when the output is not a terminal.
 */
export class ProgressBar {
  private lastDraw = 0;
  private lastDecile = -1;
  private lastLine = '';
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
    private readonly wallNow: () => number = () => performance.now(),
  ) {}

  /** Shows the state (throttled). */
  update(state: ProgressState, force = false): void {
    const ratio = state.requested > 0 ? Math.min(1, state.filled / state.requested) : 0;
    if (!this.stream.isTTY) {
      const decile = Math.floor(ratio * 10);
      const line = this.text(state, ratio);
      if ((decile > this.lastDecile || force) && line !== this.lastLine) {
        this.lastDecile = decile;
        this.lastLine = line;
        this.stream.write(`${line}\n`);
      }
      return;
    }
    const now = this.wallNow();
    if (!force && now - this.lastDraw < 50) return;
    this.lastDraw = now;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 70));
    const filledCells = Math.round(ratio * width);
    const scheduledCell = state.scheduled !== undefined ? Math.round(Math.min(1, state.scheduled / state.requested) * width) : -1;
    let bar = '';
    for (let cell = 0; cell < width; cell++) bar += cell < filledCells ? '█' : cell === scheduledCell ? '┃' : '░';
    this.stream.write(`\r\x1b[2K${this.label} ${bar} ${this.text(state, ratio)}`);
    this.drawn = true;
  }

  /** Draws what `foldProgress` said: a redraw on `tick`, the last line on `ended`. */
  show(step: 'tick' | 'ended' | undefined, state: ProgressState): void {
    if (step === 'tick') this.update(state);
    if (step === 'ended') {
      this.update(state, true);
      this.finish();
    }
  }

  /** Ends the bar's line. */
  finish(): void {
    if (this.drawn && this.stream.isTTY) this.stream.write('\n');
  }

  private text(state: ProgressState, ratio: number): string {
    const time = new Date(state.ts).toISOString().slice(11, 19);
    const price = state.lastPrice === undefined ? '' : ` last ${state.lastPrice}`;
    const scheduled = state.scheduled === undefined ? '' : ` (schedule ${format(state.scheduled)})`;
    return `${(ratio * 100).toFixed(1).padStart(5)}% ${format(state.filled)}/${format(state.requested)} filled${scheduled}, ${format(state.working)} working, ${state.fills} fills, ${time} UTC${price}`;
  }
}

function format(value: number): string {
  return Number(value.toFixed(8)).toString();
}
