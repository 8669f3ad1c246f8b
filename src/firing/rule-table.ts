/**
 * The loop's compact view of the enabled scheduled rules: one small record per rule in parallel
 * arrays indexed by a slot number, with a free list for deleted rules. Parsed schedules are shared
 * per distinct expression (many rules use `rate(1 hour)`), so a rule costs its ARN string plus a
 * few numbers. Targets are not kept: the invoker re-reads the rule when a slot fires.
 */
import { parseScheduleExpression } from '../schedules/index.ts';
import type { ParsedSchedule } from '../schedules/index.ts';

export class RuleTable {
  readonly #bySlotArn: (string | undefined)[] = [];
  readonly #expressions: string[] = [];
  readonly #anchors: number[] = [];
  /** Slots at or before `floor` are accounted for (fired, missed, or before the rule's anchor). */
  readonly #floors: number[] = [];
  readonly #gens: number[] = [];
  readonly #free: number[] = [];
  readonly #index = new Map<string, number>();
  readonly #parsed = new Map<string, ParsedSchedule>();
  readonly #strings = new Map<string, string>();

  get size(): number {
    return this.#index.size;
  }

  slotOf(ruleArn: string): number | undefined {
    return this.#index.get(ruleArn);
  }

  /** Adds a rule or overwrites its record; bumps the generation so older heap entries go stale. */
  upsert(ruleArn: string, expression: string, anchorMs: number, floorMs: number): number {
    // Parse first: an invalid expression must not leave a half-written record.
    this.schedule(expression);
    let slot = this.#index.get(ruleArn);
    if (slot === undefined) {
      slot = this.#free.pop() ?? this.#bySlotArn.length;
      this.#index.set(ruleArn, slot);
      this.#bySlotArn[slot] = ruleArn;
      this.#gens[slot] = (this.#gens[slot] ?? 0) + 1;
    } else {
      this.#gens[slot]! += 1;
    }
    this.#expressions[slot] = this.#intern(expression);
    this.#anchors[slot] = anchorMs;
    this.#floors[slot] = floorMs;
    return slot;
  }

  /** Removes a rule; its heap entries go stale. Returns whether it was there. */
  remove(ruleArn: string): boolean {
    const slot = this.#index.get(ruleArn);
    if (slot === undefined) return false;
    this.#index.delete(ruleArn);
    this.#bySlotArn[slot] = undefined;
    this.#gens[slot]! += 1;
    this.#free.push(slot);
    return true;
  }

  /** Whether a heap entry (slot, gen) still describes a live rule. */
  isCurrent(slot: number, gen: number): boolean {
    return this.#bySlotArn[slot] !== undefined && this.#gens[slot] === gen;
  }

  arn(slot: number): string {
    return this.#bySlotArn[slot]!;
  }
  expression(slot: number): string {
    return this.#expressions[slot]!;
  }
  anchor(slot: number): number {
    return this.#anchors[slot]!;
  }
  floor(slot: number): number {
    return this.#floors[slot]!;
  }
  setFloor(slot: number, floorMs: number): void {
    this.#floors[slot] = floorMs;
  }
  gen(slot: number): number {
    return this.#gens[slot]!;
  }

  /** The parsed form of an expression (rule dialect), cached per distinct string. */
  schedule(expression: string): ParsedSchedule {
    let parsed = this.#parsed.get(expression);
    if (!parsed) {
      parsed = parseScheduleExpression(expression, 'rule');
      this.#parsed.set(expression, parsed);
    }
    return parsed;
  }

  clear(): void {
    for (const arn of [...this.#index.keys()]) this.remove(arn);
  }

  #intern(expression: string): string {
    // One copy of each distinct string, however many rules read it from the store.
    const known = this.#strings.get(expression);
    if (known !== undefined) return known;
    this.#strings.set(expression, expression);
    return expression;
  }
}
