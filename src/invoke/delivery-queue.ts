/**
 * Bounded concurrency for slot deliveries: at most `limit` run at once, the rest wait in
 * hand-over order. Without a bound a burst (the start-up backlog of a million rules) would start
 * every delivery together, each holding its queries and closures until the one store connection
 * gets to them.
 */
export class DeliveryQueue<T> {
  readonly #limit: number;
  readonly #run: (item: T) => Promise<void>;
  readonly #track: (work: Promise<void>) => Promise<void>;
  /** Items handed over while every place was taken, oldest first from `#head`. */
  #waiting: T[] = [];
  #head = 0;
  #active = 0;
  #open = false;

  /** `run` delivers one item and never rejects; `track` is told of every delivery started. */
  constructor(
    limit: number,
    run: (item: T) => Promise<void>,
    track: (work: Promise<void>) => Promise<void>,
  ) {
    this.#limit = limit;
    this.#run = run;
    this.#track = track;
  }

  /** Items waiting for a place. */
  get queued(): number {
    return this.#waiting.length - this.#head;
  }

  /**
   * Delivers the item, or queues it when every place is taken (the returned promise then
   * resolves at once: the item is accepted, and the tracker covers it).
   */
  push(item: T): Promise<void> {
    if (this.#active < this.#limit) return this.#deliver(item);
    this.#waiting.push(item);
    return Promise.resolve();
  }

  /** Starts queued items (closed until the owner starts, and again after a close). */
  open(): void {
    this.#open = true;
  }

  /** Drops the waiting items and starts no more (running ones finish). */
  close(): void {
    this.#open = false;
    this.#waiting = [];
    this.#head = 0;
  }

  #deliver(item: T): Promise<void> {
    this.#active++;
    // The next queued item starts inside this one's `finally`, before its tracked promise
    // settles, so a tracker waiting for idleness never sees an empty set while items still wait.
    const work = this.#run(item).finally(() => {
      this.#active--;
      this.#startWaiting();
    });
    return this.#track(work);
  }

  #startWaiting(): void {
    while (this.#open && this.#active < this.#limit && this.queued > 0) {
      const item = this.#waiting[this.#head]!;
      this.#head++;
      void this.#deliver(item);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head);
      this.#head = 0;
    }
  }
}
