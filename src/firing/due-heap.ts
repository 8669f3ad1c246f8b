/**
 * A binary min-heap of (due time, rule slot, generation) triples in typed arrays: about 16 bytes
 * per entry and no object per rule, so a million rules cost a few megabytes. Entries are never
 * removed from the middle; a rule that changes bumps its generation, and entries whose generation
 * no longer matches are dropped when they reach the top ("lazy deletion").
 */
export class DueHeap {
  #times = new Float64Array(1024);
  #slots = new Int32Array(1024);
  #gens = new Uint32Array(1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Bytes held by the backing arrays (for the scale check). */
  get capacityBytes(): number {
    return this.#times.byteLength + this.#slots.byteLength + this.#gens.byteLength;
  }

  push(timeMs: number, slot: number, gen: number): void {
    if (this.#size === this.#times.length) this.#grow();
    let i = this.#size++;
    // Sift up: move parents down until the new entry's place is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#times[parent]! <= timeMs) break;
      this.#move(parent, i);
      i = parent;
    }
    this.#set(i, timeMs, slot, gen);
  }

  /** Due time of the top entry, or undefined when empty. */
  peekTime(): number | undefined {
    return this.#size === 0 ? undefined : this.#times[0];
  }

  peekSlot(): number {
    return this.#slots[0]!;
  }

  peekGen(): number {
    return this.#gens[0]!;
  }

  /** Removes the top entry. */
  pop(): void {
    if (this.#size === 0) return;
    const last = --this.#size;
    if (last === 0) return;
    const t = this.#times[last]!;
    const s = this.#slots[last]!;
    const g = this.#gens[last]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const c = r < last && this.#times[r]! < this.#times[l]! ? r : l;
      if (this.#times[c]! >= t) break;
      this.#move(c, i);
      i = c;
    }
    this.#set(i, t, s, g);
  }

  /** Keeps only the entries `keep` accepts and restores heap order (drops stale entries). */
  compact(keep: (slot: number, gen: number) => boolean): void {
    let n = 0;
    for (let i = 0; i < this.#size; i++) {
      if (keep(this.#slots[i]!, this.#gens[i]!)) {
        this.#set(n++, this.#times[i]!, this.#slots[i]!, this.#gens[i]!);
      }
    }
    const entries = n;
    this.#size = 0;
    // Re-insert in place: cheap enough for an occasional compaction and keeps one code path.
    const times = this.#times.slice(0, entries);
    const slots = this.#slots.slice(0, entries);
    const gens = this.#gens.slice(0, entries);
    for (let i = 0; i < entries; i++) this.push(times[i]!, slots[i]!, gens[i]!);
  }

  clear(): void {
    this.#size = 0;
  }

  #set(i: number, t: number, s: number, g: number): void {
    this.#times[i] = t;
    this.#slots[i] = s;
    this.#gens[i] = g;
  }

  #move(from: number, to: number): void {
    this.#times[to] = this.#times[from]!;
    this.#slots[to] = this.#slots[from]!;
    this.#gens[to] = this.#gens[from]!;
  }

  #grow(): void {
    const cap = this.#times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.#times);
    const slots = new Int32Array(cap);
    slots.set(this.#slots);
    const gens = new Uint32Array(cap);
    gens.set(this.#gens);
    this.#times = times;
    this.#slots = slots;
    this.#gens = gens;
  }
}
