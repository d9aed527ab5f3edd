// When a turn's first D1 mirror goes out. The first token is what the user waits for: the
// turn's first mirror (status "running", the user's message; a new conversation's row went
// ahead) goes out MIRROR_AFTER_FIRST_EVENT_MS after the first event that follows `start`, or
// after FIRST_MIRROR_DELAY_MS for a slow model, never later than the turn's end (the turn
// mirrors its final status before `done`). Locally D1 shares the object's core, and this moved
// ~15 ms off the first token (BENCHMARKS.md). Routes that act on a conversation this isolate
// just opened find it in `conversationOwners` before its row lands.
import type { ChatEvent } from "../chat/events";

/** How long a turn's first D1 mirror waits for the answer's first event. */
const FIRST_MIRROR_DELAY_MS = 50;
/** How long after the answer's first event the held mirror goes out. */
const MIRROR_AFTER_FIRST_EVENT_MS = 5;

/** One per conversation object: the hold of its current turn's first mirror. */
export class FirstMirrorHold {
  private held = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** True from a turn's start until its first mirror may go. */
  get isHeld(): boolean {
    return this.held;
  }

  /**
   * Holds a new turn's first mirror; `release` sends it if the hold ends on a timer. Returns what
   * the turn's stream calls after each event it writes.
   */
  begin(release: () => void): (event: ChatEvent) => void {
    this.held = true;
    const fire = () => {
      if (this.stop()) release();
    };
    this.timer = setTimeout(fire, FIRST_MIRROR_DELAY_MS);
    let answering = false;
    return (event) => {
      if (event.type === "start" || answering || !this.held) return;
      // Let the runtime carry this first frame to the client before the mirror's CPU work runs.
      answering = true;
      clearTimeout(this.timer);
      this.timer = setTimeout(fire, MIRROR_AFTER_FIRST_EVENT_MS);
    };
  }

  /** Ends the hold; true if it was held. */
  stop(): boolean {
    clearTimeout(this.timer);
    const was = this.held;
    this.held = false;
    return was;
  }
}
