/**
 * A small typed event hub. Each domain declares its own event map (`type` → fields) and emits on
 * a hub of that map; one hub may serve several domains at once when the composition root gives
 * them a hub of the merged map, so listeners see every event in emission order.
 */

/** One event of map `M`: its `type` plus that type's fields. */
export type EventOf<M> = { [K in keyof M & string]: { type: K } & M[K] }[keyof M & string];

/** `emit` never throws, whatever the listeners do. */
export class EventHub<M extends object> {
  readonly #listeners = new Set<(event: EventOf<M>) => void>();

  emit<K extends keyof M & string>(type: K, fields: M[K]): void {
    const event = { type, ...fields } as unknown as EventOf<M>;
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure must never break the emitter.
      }
    }
  }

  /** Subscribes; returns the unsubscribe function. */
  on(listener: (event: EventOf<M>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves at the first event of `type` that satisfies `predicate`. */
  next<K extends keyof M & string>(
    type: K,
    predicate: (event: { type: K } & M[K]) => boolean = () => true,
  ): Promise<{ type: K } & M[K]> {
    return new Promise((resolve) => {
      const off = this.on((event) => {
        if (event.type !== type) return;
        const typed = event as unknown as { type: K } & M[K];
        if (!predicate(typed)) return;
        off();
        resolve(typed);
      });
    });
  }
}
