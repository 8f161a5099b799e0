import { runSynth } from './cli/synth';
import { directWriter } from './lib/direct-output';
import { EnvironmentLoadError } from './lib/environments';
import { PhaseTimer } from './lib/timing';
import { terminalSafe } from './lib/printable';
const safe = (write: (text: string) => void) => (text: string) => write(terminalSafe(text));
(globalThis as any).__synthMain = () => {
const timer = process.env.ALERT_STREAM_TIMINGS ? new PhaseTimer() : undefined;
const mainStart = timer ? performance.now() : 0;
try {
  process.exitCode = runSynth(process.argv.slice(2), { stdout: safe(directWriter(1)), stderr: safe(directWriter(2)), defaultOutdir: process.env.CDK8S_OUTDIR, timer });
} catch (error) {
  if (error instanceof EnvironmentLoadError) { process.stderr.write(`synth: ${error.message}\n`); process.exitCode = 1; } else throw error;
}
if (timer) {
  const loaderStart = (globalThis as any)[Symbol.for('alert-stream.loader-start')] ?? mainStart;
  process.stderr.write(`ALERT_STREAM_TIMINGS ${JSON.stringify({ processStart: loaderStart, moduleLoad: mainStart - loaderStart, ...timer.phases, synthDone: performance.now() })}\n`);
}
};
