/**
 * The loop's compact view of the enabled scheduled rules: one record per rule in typed arrays
 * indexed by a slot number, with a free list for deleted rules. A rule costs its ARN's bytes, a
 * hash bucket and 29 bytes of numbers, and no object at all on the JavaScript heap (see
 * {@link ArnIndex}): at a million rules garbage collections stay short. Parsed schedules (and
 * their next-slot memo) are shared per distinct expression. Targets are not kept: the invoker
 * re-reads the rule when a slot fires.
 */
import { parseScheduleExpression } from '../expressions/index.ts';
import type { ParsedSchedule } from '../expressions/index.ts';
import { ArnIndex } from './arn-index.ts';
import { NextSlotMemo, nextSlot } from './slot-range.ts';

/** One distinct expression, shared by every rule that uses it. */
interface Expression {
  text: string;
  schedule: ParsedSchedule;
  memo: NextSlotMemo;
}

export class RuleTable {
  readonly #arns = new ArnIndex();
  /** Slots ever handed out; those not live are on the free list. */
  #slots = 0;
  #live = new Uint8Array(1024);
  #expressionIds = new Int32Array(1024);
  #anchors = new Float64Array(1024);
  /** Slots at or before `floor` are accounted for (fired, missed, or before the rule's anchor). */
  #floors = new Float64Array(1024);
  /** The first slot after the floor, as last computed (NaN: none). */
  #nexts = new Float64Array(1024);
  #gens = new Uint32Array(1024);
  readonly #free: number[] = [];
  readonly #expressions: Expression[] = [];
  readonly #expressionIndex = new Map<string, number>();
  /** Expressions that failed to parse: many rules may share one, and parsing it again costs. */
  readonly #invalid = new Map<string, unknown>();

  get size(): number {
    return this.#arns.size;
  }

  slotOf(ruleArn: string): number | undefined {
    return this.#arns.get(ruleArn);
  }

  /** Adds a rule or overwrites its record; bumps the generation so older heap entries go stale. */
  upsert(ruleArn: string, expression: string, anchorMs: number, floorMs: number): number {
    // Parse first: an invalid expression must not leave a half-written record.
    const expressionId = this.#expressionId(expression);
    let slot = this.#arns.get(ruleArn);
    if (slot === undefined) {
      slot = this.#free.pop() ?? this.#slots++;
      if (slot >= this.#gens.length) this.#grow(slot + 1);
      this.#arns.add(ruleArn, slot);
      this.#live[slot] = 1;
    }
    this.#gens[slot]! += 1;
    this.#expressionIds[slot] = expressionId;
    this.#anchors[slot] = anchorMs;
    this.#floors[slot] = floorMs;
    this.#nexts[slot] = NaN;
    return slot;
  }

  /** Removes a rule; its heap entries go stale. Returns whether it was there. */
  remove(ruleArn: string): boolean {
    const slot = this.#arns.get(ruleArn);
    if (slot === undefined) return false;
    this.removeSlot(slot);
    return true;
  }

  /** Removes the rule in a live slot. */
  removeSlot(slot: number): void {
    this.#arns.remove(slot);
    this.#live[slot] = 0;
    this.#gens[slot]! += 1;
    this.#free.push(slot);
  }

  /** Whether a heap entry (slot, gen) still describes a live rule. */
  isCurrent(slot: number, gen: number): boolean {
    return this.#live[slot] === 1 && this.#gens[slot] === gen;
  }

  /** The rule's ARN (a fresh string on each call: keep it rather than asking twice). */
  arn(slot: number): string {
    return this.#arns.arn(slot);
  }
  expression(slot: number): string {
    return this.#expressions[this.#expressionIds[slot]!]!.text;
  }
  schedule(slot: number): ParsedSchedule {
    return this.#expressions[this.#expressionIds[slot]!]!.schedule;
  }
  anchor(slot: number): number {
    return this.#anchors[slot]!;
  }
  floor(slot: number): number {
    return this.#floors[slot]!;
  }
  gen(slot: number): number {
    return this.#gens[slot]!;
  }

  /** The rule's first slot strictly after `afterMs`, or undefined when it has none. */
  slotAfter(slot: number, afterMs: number): number | undefined {
    const e = this.#expressions[this.#expressionIds[slot]!]!;
    return nextSlot(e.schedule, this.#anchors[slot]!, afterMs, e.memo);
  }

  /** The rule's next slot (after its floor) as last set, or undefined when none is known. */
  next(slot: number): number | undefined {
    const next = this.#nexts[slot]!;
    return Number.isNaN(next) ? undefined : next;
  }

  /** Raises the floor to `floorMs` if that is higher (a recorded slot read at start-up). */
  raiseFloor(slot: number, floorMs: number): void {
    if (floorMs > this.#floors[slot]!) this.#floors[slot] = floorMs;
  }

  /** Calls `visit` with every live slot, in slot order. */
  forEachSlot(visit: (slot: number) => void): void {
    for (let slot = 0; slot < this.#slots; slot++) if (this.#live[slot] === 1) visit(slot);
  }

  /** Moves the floor and records the next slot after it (computed by the caller). */
  advance(slot: number, floorMs: number, nextMs: number | undefined): void {
    this.#floors[slot] = floorMs;
    this.#nexts[slot] = nextMs ?? NaN;
  }

  /** Forgets every rule; generations keep counting, so no old heap entry matches again. */
  clear(): void {
    this.#arns.clear();
    this.#live.fill(0);
    this.#slots = 0;
    this.#free.length = 0;
  }

  #expressionId(text: string): number {
    let id = this.#expressionIndex.get(text);
    if (id === undefined) {
      if (this.#invalid.has(text)) throw this.#invalid.get(text);
      let schedule: ParsedSchedule;
      try {
        schedule = parseScheduleExpression(text, 'rule');
      } catch (err) {
        this.#invalid.set(text, err);
        throw err;
      }
      id = this.#expressions.length;
      this.#expressions.push({ text, schedule, memo: new NextSlotMemo() });
      this.#expressionIndex.set(text, id);
    }
    return id;
  }

  #grow(min: number): void {
    let cap = this.#gens.length;
    while (cap < min) cap *= 2;
    const grow = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(
      old: T,
      fresh: T,
    ): T => {
      fresh.set(old);
      return fresh;
    };
    this.#expressionIds = grow(this.#expressionIds, new Int32Array(cap));
    this.#anchors = grow(this.#anchors, new Float64Array(cap));
    this.#floors = grow(this.#floors, new Float64Array(cap));
    this.#nexts = grow(this.#nexts, new Float64Array(cap));
    this.#gens = grow(this.#gens, new Uint32Array(cap));
    this.#live = grow(this.#live, new Uint8Array(cap));
  }
}
