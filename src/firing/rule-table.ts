/**
 * The loop's compact view of the enabled scheduled things ("rules" below, whatever their source):
 * one record per rule in typed arrays indexed by a slot number, with a free list for deleted
 * rules. A rule costs its ARN's bytes, a hash bucket and 45 bytes of numbers, and no object at all
 * on the JavaScript heap (see {@link ArnIndex}): at a million rules garbage collections stay
 * short. Parsed schedules (and their next-slot memo) are shared per distinct (dialect, time zone,
 * expression). Targets are not kept: the invoker re-reads the thing when a slot fires.
 */
import {
  InvalidTimezoneError,
  isValidTimezone,
  parseScheduleExpression,
} from '../expressions/index.ts';
import type { ParsedSchedule } from '../expressions/index.ts';
import { ArnIndex } from './arn-index.ts';
import type { ScheduledThing } from './firing.ports.ts';
import { NextSlotMemo, nextSlot, slotsBetween } from './slot-range.ts';
import type { SlotRange } from './slot-range.ts';

/** One distinct expression in one dialect and zone, shared by every rule that uses it. */
interface Expression {
  key: string;
  text: string;
  timezone: string;
  schedule: ParsedSchedule;
  memo: NextSlotMemo;
}

/** The fields of a thing the table keeps. */
export type IndexedSchedule = Pick<
  ScheduledThing,
  'arn' | 'expression' | 'dialect' | 'timezone' | 'startMs' | 'endMs' | 'anchorMs'
>;

function expressionKey(s: IndexedSchedule): string {
  return `${s.dialect}\u0000${s.timezone}\u0000${s.expression}`;
}

export class RuleTable {
  readonly #arns = new ArnIndex();
  /** Slots ever handed out; those not live are on the free list. */
  #slots = 0;
  #live = new Uint8Array(1024);
  #expressionIds = new Int32Array(1024);
  #anchors = new Float64Array(1024);
  /** No slot before / after these instants (-Infinity / Infinity when the thing has none). */
  #starts = new Float64Array(1024);
  #ends = new Float64Array(1024);
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
  upsert(thing: IndexedSchedule, floorMs: number): number {
    const ruleArn = thing.arn;
    // Parse first: an invalid expression must not leave a half-written record.
    const expressionId = this.#expressionId(thing);
    let slot = this.#arns.get(ruleArn);
    if (slot === undefined) {
      slot = this.#free.pop() ?? this.#slots++;
      if (slot >= this.#gens.length) this.#grow(slot + 1);
      this.#arns.add(ruleArn, slot);
      this.#live[slot] = 1;
    }
    this.#gens[slot]! += 1;
    this.#expressionIds[slot] = expressionId;
    this.#anchors[slot] = thing.anchorMs;
    this.#starts[slot] = thing.startMs ?? -Infinity;
    this.#ends[slot] = thing.endMs ?? Infinity;
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

  /** Whether the rule in `slot` has exactly this schedule (only targets may have changed). */
  sameSchedule(slot: number, thing: IndexedSchedule): boolean {
    return (
      this.#expressions[this.#expressionIds[slot]!]!.key === expressionKey(thing) &&
      this.#anchors[slot] === thing.anchorMs &&
      this.#starts[slot] === (thing.startMs ?? -Infinity) &&
      this.#ends[slot] === (thing.endMs ?? Infinity)
    );
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
    return nextSlot(
      e.schedule,
      this.#anchors[slot]!,
      afterMs,
      e.memo,
      e.timezone,
      this.#starts[slot]!,
      this.#ends[slot]!,
    );
  }

  /** The rule's slots in `(afterMs, untilMs]` (see {@link slotsBetween}). */
  slotsBetween(slot: number, afterMs: number, untilMs: number, limit: number): SlotRange {
    const e = this.#expressions[this.#expressionIds[slot]!]!;
    return slotsBetween(
      e.schedule,
      this.#anchors[slot]!,
      afterMs,
      untilMs,
      limit,
      e.timezone,
      this.#starts[slot]!,
      this.#ends[slot]!,
    );
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

  #expressionId(thing: IndexedSchedule): number {
    const key = expressionKey(thing);
    let id = this.#expressionIndex.get(key);
    if (id === undefined) {
      if (this.#invalid.has(key)) throw this.#invalid.get(key);
      let schedule: ParsedSchedule;
      try {
        schedule = parseScheduleExpression(thing.expression, thing.dialect);
        // An unknown zone fails here, once per distinct key, not at every next-slot question.
        if (!isValidTimezone(thing.timezone)) {
          throw new InvalidTimezoneError(thing.timezone, 'not a zone this engine knows');
        }
      } catch (err) {
        this.#invalid.set(key, err);
        throw err;
      }
      id = this.#expressions.length;
      this.#expressions.push({
        key,
        text: thing.expression,
        timezone: thing.timezone,
        schedule,
        memo: new NextSlotMemo(),
      });
      this.#expressionIndex.set(key, id);
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
    this.#starts = grow(this.#starts, new Float64Array(cap));
    this.#ends = grow(this.#ends, new Float64Array(cap));
    this.#floors = grow(this.#floors, new Float64Array(cap));
    this.#nexts = grow(this.#nexts, new Float64Array(cap));
    this.#gens = grow(this.#gens, new Uint32Array(cap));
    this.#live = grow(this.#live, new Uint8Array(cap));
  }
}
