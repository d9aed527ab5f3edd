// Lines from stdin, one at a time, for the interactive chat. readline emits 'line' events
// whether or not anyone is waiting (piped input arrives all at once); they are queued here so
// none is lost while an answer streams. A prompt is shown only on a terminal.
import { createInterface, type Interface } from "node:readline";

export class LineReader {
  readonly rl: Interface;
  readonly terminal: boolean;
  private readonly queue: string[] = [];
  private waiter: ((line: string | null) => void) | null = null;
  private closed = false;

  constructor() {
    this.terminal = process.stdin.isTTY === true;
    this.rl = createInterface({ input: process.stdin, output: process.stdout, terminal: this.terminal });
    this.rl.on("line", (line) => {
      if (this.waiter) {
        const resolve = this.waiter;
        this.waiter = null;
        resolve(line);
      } else {
        this.queue.push(line);
      }
    });
    this.rl.on("close", () => {
      this.closed = true;
      this.waiter?.(null);
      this.waiter = null;
    });
  }

  /** The next line, or null once input has ended (Ctrl-D, end of the pipe). */
  next(prompt: string): Promise<string | null> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve(null);
    if (this.terminal) {
      this.rl.setPrompt(prompt);
      this.rl.prompt();
    }
    return new Promise((resolve) => (this.waiter = resolve));
  }

  close(): void {
    this.rl.close();
  }
}
