/**
 * Typed lifecycle events of the invoker. Invocation counters are counted from them, `cronbridge
 * up` prints some, and tests wait for them instead of sleeping. Slot events (fired, skipped,
 * missed) are firing's (`FiringEventMap`).
 */
import type { FiringEvent } from '../firing/index.ts';
import { EventHub, type EventOf } from '../platform/event-hub.ts';

/** Every invoke event, keyed by its `type`. */
export interface InvokeEventMap {
  /** One attempt of an invocation finished. */
  'invoke:attempt': {
    ruleArn: string;
    invocationId: string;
    targetId: string;
    attemptNo: number;
    outcome: 'SUCCEEDED' | 'FAILED';
    errorCode?: string;
    taskArns: string[];
  };
  /** An invocation succeeded for good. */
  'invoke:succeeded': { ruleArn: string; invocationId: string; targetId: string; attempts: number };
  /** An invocation failed for good and was dead-lettered. */
  'invoke:deadLettered': {
    ruleArn: string;
    invocationId: string;
    targetId: string;
    attempts: number;
    dlqArn: string | undefined;
    errorCode: string;
    exhaustedCondition: string | undefined;
  };
  /** A retry was scheduled. */
  'invoke:retryScheduled': {
    ruleArn: string;
    invocationId: string;
    atMs: number;
    attemptNo: number;
  };
  /** The invoker hit an error it survives (store down): the work stays in the store for later. */
  'invoke:error': { error: Error; ruleArn?: string };
}

export type InvokeEventType = keyof InvokeEventMap;
export type InvokeEvent = EventOf<InvokeEventMap>;
/** The hub the invoker emits on (a hub of a wider map serves as well). */
export type InvokeEvents = EventHub<InvokeEventMap>;

/** A hub for invoke events only; the engine shares one hub between domains. */
export function invokeEvents(): InvokeEvents {
  return new EventHub<InvokeEventMap>();
}

/** Firing's and the invoker's events, as a listener on both hubs sees them. */
export type RunEvent = FiringEvent | InvokeEvent;
