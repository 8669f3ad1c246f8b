/**
 * Rule ARNs kept off the JavaScript heap: every ARN's UTF-8 bytes in one growable buffer, and an
 * open-addressing hash table (linear probing) from ARN to the rule's slot number.
 *
 * Why not a `Map<string, number>`: a million rules would be a million string objects plus a
 * million-entry map that every major garbage collection marks and, when it compacts, moves; the
 * pauses reach tens to hundreds of milliseconds, and every slot due meanwhile fires that late.
 * Here the index is a handful of typed arrays the collector never looks inside.
 */
const EMPTY = -1;

export class ArnIndex {
  // Never read past `#used`, so the unused tail needs no zeroing (and stays untouched).
  #bytes = Buffer.allocUnsafeSlow(1 << 16);
  /** Bytes in use, live or not. */
  #used = 0;
  /** Bytes of removed ARNs, reclaimed by compaction. */
  #garbage = 0;
  #offsets = new Uint32Array(1024);
  #lengths = new Uint16Array(1024);
  /** Slot numbers by hash; EMPTY marks a free bucket. Size is a power of two. */
  #table = new Int32Array(2048).fill(EMPTY);
  #count = 0;
  /** Reused for encoding the ARN being looked up or added. */
  #scratch = Buffer.alloc(4096);

  get size(): number {
    return this.#count;
  }

  /** Bytes of ARNs held, removed ones not yet reclaimed included. */
  get storedBytes(): number {
    return this.#used;
  }

  /** The slot of `arn`, or undefined. */
  get(arn: string): number | undefined {
    const n = this.#encode(arn);
    const h = hashOf(this.#scratch, 0, n);
    const mask = this.#table.length - 1;
    for (let b = h & mask; ; b = (b + 1) & mask) {
      const slot = this.#table[b]!;
      if (slot === EMPTY) return undefined;
      const at = this.#offsets[slot]!;
      if (this.#lengths[slot] === n && this.#scratch.compare(this.#bytes, at, at + n, 0, n) === 0) {
        return slot;
      }
    }
  }

  /** Maps `arn` (not present yet) to `slot`. */
  add(arn: string, slot: number): void {
    const n = this.#encode(arn);
    if (n > 0xffff) throw new RangeError('rule ARN too long');
    if (2 * (this.#count + 1) > this.#table.length) this.#rehash(this.#table.length * 2);
    this.#store(slot, this.#scratch, n);
    this.#insert(slot, hashOf(this.#scratch, 0, n));
    this.#count++;
  }

  /** Removes the mapping of `slot` (whose ARN is present). */
  remove(slot: number): void {
    const mask = this.#table.length - 1;
    let b = this.#hashOfSlot(slot) & mask;
    while (this.#table[b] !== slot) b = (b + 1) & mask;
    // Backward-shift deletion: pull later members of the probe run into the hole.
    let hole = b;
    for (let i = (hole + 1) & mask; this.#table[i] !== EMPTY; i = (i + 1) & mask) {
      const home = this.#hashOfSlot(this.#table[i]!) & mask;
      // Move it unless its home bucket lies cyclically in (hole, i].
      const stays = hole <= i ? hole < home && home <= i : hole < home || home <= i;
      if (!stays) {
        this.#table[hole] = this.#table[i]!;
        hole = i;
      }
    }
    this.#table[hole] = EMPTY;
    this.#count--;
    this.#garbage += this.#lengths[slot]!;
    this.#lengths[slot] = 0;
    if (this.#garbage > 1 << 20 && this.#garbage > this.#used / 2) this.#compact();
  }

  /** The ARN stored for `slot` (a fresh string). */
  arn(slot: number): string {
    const at = this.#offsets[slot]!;
    return this.#bytes.toString('utf8', at, at + this.#lengths[slot]!);
  }

  clear(): void {
    this.#table.fill(EMPTY);
    this.#count = 0;
    this.#used = 0;
    this.#garbage = 0;
    this.#lengths.fill(0);
  }

  /** UTF-8 bytes of `arn` into the scratch buffer; returns their length. */
  #encode(arn: string): number {
    if (3 * arn.length > this.#scratch.length) this.#scratch = Buffer.alloc(3 * arn.length);
    return this.#scratch.write(arn, 0, 'utf8');
  }

  #key(slot: number): Buffer {
    const at = this.#offsets[slot]!;
    return this.#bytes.subarray(at, at + this.#lengths[slot]!);
  }

  #hashOfSlot(slot: number): number {
    const at = this.#offsets[slot]!;
    return hashOf(this.#bytes, at, at + this.#lengths[slot]!);
  }

  #store(slot: number, from: Buffer, n: number): void {
    if (slot >= this.#offsets.length) {
      let cap = this.#offsets.length;
      while (cap <= slot) cap *= 2;
      const offsets = new Uint32Array(cap);
      offsets.set(this.#offsets);
      const lengths = new Uint16Array(cap);
      lengths.set(this.#lengths);
      this.#offsets = offsets;
      this.#lengths = lengths;
    }
    if (this.#used + n > this.#bytes.length) {
      const bytes = Buffer.allocUnsafeSlow(Math.max(2 * this.#bytes.length, this.#used + n));
      this.#bytes.copy(bytes, 0, 0, this.#used);
      this.#bytes = bytes;
    }
    from.copy(this.#bytes, this.#used, 0, n);
    this.#offsets[slot] = this.#used;
    this.#lengths[slot] = n;
    this.#used += n;
  }

  #insert(slot: number, h: number): void {
    const mask = this.#table.length - 1;
    let b = h & mask;
    while (this.#table[b] !== EMPTY) b = (b + 1) & mask;
    this.#table[b] = slot;
  }

  #rehash(size: number): void {
    const old = this.#table;
    this.#table = new Int32Array(size).fill(EMPTY);
    for (const slot of old) if (slot !== EMPTY) this.#insert(slot, this.#hashOfSlot(slot));
  }

  /** Rewrites the live ARNs contiguously (after many removals). */
  #compact(): void {
    const bytes = Buffer.allocUnsafeSlow(Math.max(1 << 16, this.#used - this.#garbage));
    let used = 0;
    for (const slot of this.#table) {
      if (slot === EMPTY) continue;
      const key = this.#key(slot);
      key.copy(bytes, used);
      this.#offsets[slot] = used;
      used += key.length;
    }
    this.#bytes = bytes;
    this.#used = used;
    this.#garbage = 0;
  }
}

/** FNV-1a over `bytes[from, to)`. */
function hashOf(bytes: Buffer, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}
