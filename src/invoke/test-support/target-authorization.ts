/**
 * A scripted {@link TargetAuthorization} for invoker tests: allows every target (as a role made
 * with the right policies does) unless told to refuse, and records each question.
 */
import type { AwsContext } from '../../platform/ids.ts';
import type {
  EcsTargetAccess,
  TargetAccessDecision,
  TargetAuthorization,
  TargetDenial,
} from '../target-authorization.ports.ts';

export class ScriptedTargetAuthorization implements TargetAuthorization {
  readonly asked: EcsTargetAccess[] = [];
  #denial: TargetDenial | undefined;

  /** From now on every question is answered with this denial (undefined: allow again). */
  deny(denial: Omit<TargetDenial, 'allowed'> | undefined): void {
    this.#denial = denial && { allowed: false, ...denial };
  }

  authorizeEcsTarget(_ctx: AwsContext, access: EcsTargetAccess): Promise<TargetAccessDecision> {
    this.asked.push(structuredClone(access));
    return Promise.resolve(this.#denial ?? { allowed: true });
  }
}
