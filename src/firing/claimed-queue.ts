/**
 * Slots claimed ahead of their nominal time, waiting to be handed to the invoker: a binary
 * min-heap by nominal time. It holds at most `claimAheadMs` worth of slots (a few thousand at a
 * million rules), so plain objects are fine here.
 */
export interface WaitingSlot {
  slotId: string;
  ruleArn: string;
  nominalMs: number;
}

export class ClaimedQueue {
  readonly #items: WaitingSlot[] = [];

  get size(): number {
    return this.#items.length;
  }

  /** Nominal time of the earliest waiting slot, or undefined when none waits. */
  peekTime(): number | undefined {
    return this.#items[0]?.nominalMs;
  }

  push(slot: WaitingSlot): void {
    const items = this.#items;
    let i = items.length;
    items.push(slot);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.nominalMs <= slot.nominalMs) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = slot;
  }

  /** Removes and returns the earliest waiting slot. */
  pop(): WaitingSlot | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      const c = r < items.length && items[r]!.nominalMs < items[l]!.nominalMs ? r : l;
      if (items[c]!.nominalMs >= last.nominalMs) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = last;
    return top;
  }

  /** The earliest waiting slot of one rule (a linear scan: status displays and tests only). */
  earliestOf(ruleArn: string): number | undefined {
    let best: number | undefined;
    for (const s of this.#items) {
      if (s.ruleArn === ruleArn && (best === undefined || s.nominalMs < best)) best = s.nominalMs;
    }
    return best;
  }

  /** Every waiting slot, in no particular order (status displays only). */
  all(): readonly WaitingSlot[] {
    return this.#items;
  }

  clear(): void {
    this.#items.length = 0;
  }
}
