
/** Phases of a synth whose durations the benchmark reports. */
export type Phase = 'construction' | 'rules' | 'serialization' | 'writing';

/** Adds up the time spent in each phase; the benchmark reads it. */
export class PhaseTimer {
  private readonly totals = new Map<Phase, number>();

  /** Runs `work`, counting its duration to `phase`. */
  public time<T>(phase: Phase, work: () => T): T {
    const start = performance.now();
    try {
      return work();
    } finally {
      this.totals.set(phase, (this.totals.get(phase) ?? 0) + performance.now() - start);
    }
  }

  /** Milliseconds per phase. */
  public get phases(): Record<Phase, number> {
    return {
      construction: this.totals.get('construction') ?? 0,
      rules: this.totals.get('rules') ?? 0,
      serialization: this.totals.get('serialization') ?? 0,
      writing: this.totals.get('writing') ?? 0,
    };
  }
}

/** A timer that only runs the work: what synth uses unless the benchmark asks. */
export const NO_TIMER: Pick<PhaseTimer, 'time'> = { time: (_phase, work) => work() };
