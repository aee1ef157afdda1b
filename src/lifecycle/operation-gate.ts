/** An operation waiting for its turn, or running. */
interface Turn {
  readonly mark: number;
  readonly preemptive: boolean;
  readonly body: () => unknown;
}

/**
 * Decides when a start may begin and when an operation that changes what is live as a whole (a shutdown, a
 * restore, a restart with new settings) runs. Such operations run one at a time, in the order asked for,
 * except that preemptive ones (shutdowns, restores) go ahead of those not yet running. While any is queued
 * or running, no start begins but the running operation's own: writers first, so starts never slip in
 * between. A non-preemptive operation begins once no start is in flight; a preemptive one cancels the
 * starts in flight instead (its caller does that) and waits for them itself.
 *
 * Tickets and marks come from one sequence: a start whose ticket is older than the last preemptive
 * operation's mark is cancelled, and so are the starts of an operation it overtook.
 */
export class OperationGate {
  private marks = 0;
  private cancelBefore = 0;
  private readonly queue: Turn[] = [];
  private running?: Turn;
  private inFlight = 0;
  private opened?: { readonly promise: Promise<void>; readonly resolve: () => void };

  /** A ticket for starting plugins, or the mark of an operation: larger is later. */
  ticket(): number {
    return ++this.marks;
  }

  /** The mark of a preemptive operation asked for now: every start and operation asked for before it is cancelled. */
  overtake(): number {
    this.cancelBefore = ++this.marks;
    return this.cancelBefore;
  }

  /** Whether a preemptive operation was asked for after `ticket` (a start's or an operation's). */
  isCancelled(ticket: number): boolean {
    return ticket < this.cancelBefore;
  }

  /**
   * `undefined` when a start with `ticket` may begin now (nothing queued or running, or `ticket` is the
   * running operation's own mark); else a promise that resolves once nothing is queued or running.
   */
  wait(ticket: number): Promise<void> | undefined {
    if (this.running === undefined ? this.queue.length === 0 : this.running.mark === ticket) return undefined;
    if (this.opened === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.opened = { promise, resolve };
    }
    return this.opened.promise;
  }

  /** Counts a start that began: non-preemptive operations wait until none is in flight. */
  began(): void {
    this.inFlight++;
  }

  /** Counts a start that is over (live, failed or cancelled). */
  ended(): void {
    if (--this.inFlight === 0) this.next();
  }

  /**
   * Runs `body` in its turn: after the operation running now, behind those queued (a preemptive one ahead
   * of every non-preemptive one not yet running), and for a non-preemptive one only once no start is in
   * flight. The body begins in a later microtask, never within the caller's call.
   */
  run<T>(mark: number, preemptive: boolean, body: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // The gate moves on before the caller hears of the outcome, so that what it does next sees it open.
      const over = () => {
        this.running = undefined;
        this.next();
      };
      const turn: Turn = {
        mark,
        preemptive,
        body: () =>
          void Promise.resolve()
            .then(body)
            .then(
              (value) => {
                over();
                resolve(value);
              },
              (error: unknown) => {
                over();
                reject(error);
              },
            ),
      };
      if (preemptive) this.queue.splice(this.queue.filter((queued) => queued.preemptive).length, 0, turn);
      else this.queue.push(turn);
      this.next();
    });
  }

  private next(): void {
    if (this.running !== undefined) return;
    const head = this.queue[0];
    if (head === undefined) {
      const opened = this.opened;
      this.opened = undefined;
      opened?.resolve();
      return;
    }
    if (!head.preemptive && this.inFlight > 0) return;
    this.queue.shift();
    this.running = head;
    head.body();
  }
}
