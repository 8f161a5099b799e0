/** `plan`'s cluster options, checked before any cluster is asked: usage errors are one line, exit 2. */
import { runPlan } from '../../cli/plan';
import { runCommandAsync } from '../helpers';
import { environments } from '../../lib/environments';

const env = Object.keys(environments)[0];
const plan = (argv: string[]) => runCommandAsync(runPlan, ['--env', env, ...argv]);

test('the cluster options need --from cluster', async () => {
  const result = await plan(['--from', 'main', '--kubeconfig', 'k', '--fail-on-drift']);
  expect(result.code).toBe(2);
  expect(result.stderr.split('\n')[0]).toBe('plan: --kubeconfig, --fail-on-drift need --from cluster');
});

test('--timeout must be a number of seconds', async () => {
  expect(await plan(['--from', 'cluster', '--timeout', '0'])).toEqual({ code: 2, stdout: '', stderr: "plan: --timeout takes seconds, a number above 0 and at most 3600 (got '0')\n" });
});

test('--help names --from cluster and its options', async () => {
  const result = await plan(['--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('--from cluster [--synced <folder or git ref>] [--kubeconfig <file>] [--context <name>]');
  expect(result.stdout).toMatch(/--from cluster reads the environment's objects from a cluster/);
});
