import type { BacktestProgress } from './run-backtest.js';

/**
 * A one-line progress bar of a backtest's replays (redrawn in place at most every 100 ms
 * of wall time on a terminal; a line per 10 % of the replays otherwise).
 */
export class BacktestProgressBar {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastDecile = -1;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly wallNow: () => number = () => performance.now(),
  ) {}

  /** Shows where the backtest stands (throttled). */
  update(progress: BacktestProgress): void {
    const ratio = progress.lanes > 0 ? progress.lanesDone / progress.lanes : 0;
    const text = `${(ratio * 100).toFixed(0).padStart(3)}% ${progress.lanesDone}/${progress.lanes} replays, ${progress.runsDone} runs · ${progress.lane} · ${new Date(progress.ts).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
    if (!this.stream.isTTY) {
      const decile = Math.floor(ratio * 10);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        this.stream.write(`${text}\n`);
      }
      return;
    }
    const now = this.wallNow();
    if (now - this.lastDraw < 100 && progress.lanesDone < progress.lanes) return;
    this.lastDraw = now;
    const width = 30;
    const cells = Math.round(ratio * width);
    this.stream.write(`\r\x1b[2K${'█'.repeat(cells)}${'░'.repeat(width - cells)} ${text}`.slice(0, (this.stream.columns ?? 120) + 8));
    this.drawn = true;
  }

  /** Ends the bar's line. */
  finish(): void {
    if (this.drawn && this.stream.isTTY) this.stream.write('\n');
  }
}
