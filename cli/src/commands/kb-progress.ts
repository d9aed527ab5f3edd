// A progress bar on stderr. On a terminal it redraws one line in place; otherwise (a log, a
// pipe, a test) every update is its own line, so the record reads in order.
import { inert } from "../output/terminal-safe";

const WIDTH = 24;

export class ProgressBar {
  private readonly tty = process.stderr.isTTY === true;
  private drawn = false;

  update(done: number, total: number, label: string): void {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * WIDTH);
    const line = `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${done}/${total} ${inert(label).replace(/[\n\t]/g, " ")}`;
    if (this.tty) {
      process.stderr.write(`\r\u001b[2K${line}`);
      this.drawn = true;
    } else {
      process.stderr.write(`${line}\n`);
    }
  }

  /** Ends the bar's line so what follows starts on a fresh one. */
  finish(): void {
    if (this.tty && this.drawn) process.stderr.write("\n");
    this.drawn = false;
  }
}
