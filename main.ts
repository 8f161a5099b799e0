/**
 * The cdk8s app: `npm run synth` and `npx cdk8s synth` both run this file.
 * Everything it does is in cli/synth.ts; this file only binds it to the process.
 */
import { runSynth } from './cli/synth';

process.exitCode = runSynth(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  defaultOutdir: process.env.CDK8S_OUTDIR,
});
