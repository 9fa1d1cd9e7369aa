import { Timeline, type SimClock } from './sim-clock.js';

/** How a resource created by a write ends: as Atlas usually ends it, or failed. */
export type SimOutcome = 'succeeded' | 'failed';

/** Which resources a planned outcome applies to. */
export interface OutcomeTarget {
  /** One resource already in flight (a snapshot, restore job, export or Flex job id): it ends so. */
  id?: string;
  /** Only resources created by this operation (e.g. `takeSnapshots`); any write's otherwise. */
  operation?: string;
  /** How many of the next created resources end so. @default 1 */
  times?: number;
}

/** The changes of one resource's life as `[when, change]` pairs, when in ms since the epoch on the simulator clock. */
export type Steps = [at: number, apply: () => void][];

interface InFlight {
  timeline: Timeline;
  build: (outcome: SimOutcome) => Steps;
}

/**
 * The lives of the resources writes create: their timelines on the simulator clock, the outcomes
 * tests plan for them (`simulator.planOutcome`), and cancellation (a cancelled restore job, a deleted
 * snapshot). A resource's steps set whole stages, so rebuilding them for another outcome is safe.
 */
export class Lifecycles {
  #plans: { outcome: SimOutcome; operation: string | undefined; remaining: number }[] = [];
  readonly #inFlight = new Map<string, InFlight>();

  constructor(readonly clock: SimClock) {}

  /**
   * Plans `outcome` for the next created resources (of `target.operation` when given, `target.times`
   * of them), or for the resource `target.id` in flight (throws if it is unknown or already ended).
   */
  plan(outcome: SimOutcome, target: OutcomeTarget = {}): void {
    if (target.id === undefined) {
      const times = target.times ?? 1;
      if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer: ${times}.`);
      this.#plans.push({ outcome, operation: target.operation, remaining: times });
      return;
    }
    const found = this.#inFlight.get(target.id);
    if (!found?.timeline.end) throw new Error(`No resource ${target.id} is in flight: nothing to plan.`);
    this.#schedule(target.id, found.build, outcome);
  }

  /** Starts the life of resource `id`, created by `operation` now; `build` gives its steps for an outcome. */
  start(id: string, operation: string, build: (outcome: SimOutcome) => Steps): void {
    const index = this.#plans.findIndex((p) => p.operation === undefined || p.operation === operation);
    const plan = this.#plans[index];
    if (plan && --plan.remaining <= 0) this.#plans.splice(index, 1);
    this.#schedule(id, build, plan?.outcome ?? 'succeeded');
  }

  /** Stops resource `id` where it is: its pending changes are dropped. */
  stop(id: string): void {
    this.#inFlight.get(id)?.timeline.cancel();
    this.#inFlight.delete(id);
  }

  /** Forgets the planned outcomes (not the resources in flight). */
  clearPlans(): void {
    this.#plans = [];
  }

  #schedule(id: string, build: InFlight['build'], outcome: SimOutcome): void {
    this.#inFlight.get(id)?.timeline.cancel();
    const timeline = new Timeline();
    for (const [at, apply] of build(outcome)) timeline.at(at, apply);
    this.#inFlight.set(id, { timeline, build });
    this.clock.track(timeline);
  }
}
