/**
 * The cdk8s app: `npm run synth` and `npx cdk8s synth` both run this file.
 * Everything it does is in cli/synth.ts; this file only binds it to the process.
 */
import type { SynthResult } from './cli/command';
import { runSynth } from './cli/synth';
import { directWriter } from './lib/direct-output';
import { EnvironmentLoadError } from './lib/environments';
import { PhaseTimer } from './lib/timing';
import { terminalSafe } from './lib/printable';

const safe = (write: (text: string) => void) => (text: string) => write(terminalSafe(text));

// With ALERT_STREAM_TIMINGS set, the time per phase goes to stderr as JSON (npm run bench reads it).
const timer = process.env.ALERT_STREAM_TIMINGS ? new PhaseTimer() : undefined;
const mainStart = timer ? performance.now() : 0;
const recorder = (globalThis as Record<symbol, ((result: SynthResult) => void) | undefined>)[Symbol.for('alert-stream.synth-record')];
try {
  process.exitCode = runSynth(process.argv.slice(2), {
    // Every line passes terminalSafe: nothing from a file reaches the terminal raw.
    stdout: safe(directWriter(1)),
    stderr: safe(directWriter(2)),
    defaultOutdir: process.env.CDK8S_OUTDIR,
    timer,
    // The launcher's synth cache (scripts/synth-cache.cjs) records what a run wrote, as printed.
    record: recorder && ((result) => recorder({ ...result, stdout: terminalSafe(result.stdout) })),
  });
} catch (error) {
  if (error instanceof EnvironmentLoadError) {
    // An environment file synth needed cannot be used: one line naming the file.
    process.stderr.write(terminalSafe(`synth: ${error.message}\n`));
    process.exitCode = 1;
  } else {
    // runSynth reports every expected failure itself; anything else is a bug, still said in one line.
    process.stderr.write(terminalSafe(`synth: unexpected error: ${(error as Error).message} (set ALERT_STREAM_DEBUG=1 for the stack)\n`));
    if (process.env.ALERT_STREAM_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 1;
  }
}
if (timer) {
  const loaderStart = (globalThis as Record<symbol, number | undefined>)[Symbol.for('alert-stream.loader-start')] ?? mainStart;
  process.stderr.write(`ALERT_STREAM_TIMINGS ${JSON.stringify({
    processStart: loaderStart,
    moduleLoad: mainStart - loaderStart,
    ...timer.phases,
    synthDone: performance.now(),
  })}\n`);
}
