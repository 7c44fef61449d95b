// Counts how deep the app is inside processing an event (an input event, a
// timer, an 'at start' trigger), so the runtime can tell a checkpoint asked
// for from a callback mid-event: only some queries have seen that event yet.

export class EventGate {
  private depth = 0;
  private readonly waiting: (() => void)[] = [];

  /** True while an event or timer is being processed (callbacks run then). */
  get busy(): boolean {
    return this.depth > 0;
  }

  enter(): void {
    this.depth++;
  }

  /** Leaves one level; leaving the outermost runs what waited for the event to end. */
  exit(): void {
    if (--this.depth === 0 && this.waiting.length > 0) this.drain();
  }

  /** Runs `task` now when idle, else as soon as the current event's processing ends. */
  whenIdle(task: () => void): void {
    if (this.depth === 0) task();
    else this.waiting.push(task);
  }

  private drain(): void {
    const tasks = this.waiting.splice(0);
    for (const t of tasks) t();
  }
}
