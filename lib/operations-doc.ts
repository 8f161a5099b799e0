import * as vm from 'node:vm';
import { createTwoFilesPatch } from 'diff';
import * as ts from 'typescript';
import type { Environment } from '../constructs/alert-stream-props';
import { formatPlan, planChanges, PlanRule, synthesizedObjects } from './plan';

/** One procedure of the operator's manual, as the edit it makes to an environment file. */
export interface Procedure {
  readonly title: string;
  /** The manual's section. */
  readonly manual: string;
  readonly file: string;
  /** Exact texts replaced in the environment file (each must occur once). */
  readonly edits: ReadonlyArray<{ readonly find: string; readonly replace: string }>;
  /** Rules this procedure is expected to trip, to be allowed once its steps are followed. */
  readonly allow?: readonly PlanRule[];
  /** What to do in Vault, DNS or Argo CD around the change, and what to check before the next one. */
  readonly steps: readonly string[];
  /** The procedure whose edited file this one starts from: a later change of a sequence. */
  readonly after?: string;
}

const PROD = 'environments/usdfprod-prompt-processing.ts';

/** A broker's pinned entry, as the production file writes it. */
const brokerEntry = (id: number, ip: string) => `      { nodeId: ${id}, host: 'rubin-alert-stream-broker-${id}.slac.stanford.edu', ip: '${ip}' },\n`;

export const PROCEDURES: readonly Procedure[] = [
  {
    title: 'Add a topic',
    manual: 'Adding a new Kafka topic',
    file: PROD,
    edits: [{
      find: "    { name: 'alerts-simulated', partitions: 45 },\n",
      replace: "    { name: 'alerts-simulated', partitions: 45 },\n    { name: 'lsst-alerts-v12', partitions: 45, config: { 'retention.bytes': 300000000000, 'retention.ms': 2629740000 } },\n",
    }],
    steps: [
      'Cap it by size as well as by time: `retention.ms` alone lets a burst of alerts fill the brokers\' disks (45 partitions × 300 GB × 3 replicas = 40.5 TB here, against 5 × 35Ti). Check partitions × `retention.bytes` × replicas fits the brokers\' storage with the other topics.',
      'Merge, then sync `sasquatch` in Argo CD (defaults). The topic operator creates the topic.',
      'Check: `kubectl -n sasquatch get kafkatopic lsst-alerts-v12` is Ready, and Kafbat shows its configs.',
    ],
  },
  {
    title: 'Increase the partitions of a topic',
    manual: 'Adding a new Kafka topic (partitions)',
    file: PROD,
    edits: [{
      find: "    { name: 'alerts-simulated', partitions: 45 },\n",
      replace: "    { name: 'alerts-simulated', partitions: 60 },\n",
    }],
    steps: [
      'Partitions can only grow: `npm run plan` refuses fewer (`partition-decrease`); a topic that must shrink is a new topic.',
      'More partitions change which partition a keyed message goes to, and each consumer group rebalances; tell the community brokers first.',
      'With `retention.bytes`, the topic\'s disk use grows with the partitions: check partitions × `retention.bytes` × replicas still fits the brokers\' storage.',
      'Merge, sync `sasquatch`; check: `kubectl -n sasquatch get kafkatopic alerts-simulated -o jsonpath={.status}` is Ready with 60 partitions.',
    ],
  },
  {
    title: 'Grant every community broker read access to a topic',
    manual: 'Granting users read-only access to a new topic',
    file: PROD,
    edits: [{
      find: "  'alerts-simulated',\n  'lsst-alerts-v11',\n];",
      replace: "  'alerts-simulated',\n  'lsst-alerts-v11',\n  'alert-stream-test',\n];",
    }],
    steps: ['The topic must be in `topics` (or `externalTopics`); synth refuses otherwise.', 'Merge, sync `sasquatch`; check the ACLs in Kafbat.'],
  },
  {
    title: 'Add a user (community broker)',
    manual: 'Adding a new user account',
    file: PROD,
    edits: [{
      find: "      'snaps-usdf',\n",
      replace: "      'snaps-usdf',\n      'newbroker-usdf',\n",
    }],
    steps: [
      'First put `newbroker-usdf-password` into Vault at the environment path (`npm run secrets -- --env <name>` lists every key); `npm run secrets -- --env usdfprod-prompt-processing --check` then exits 0.',
      'Then wait until the key reached the Secret the KafkaUser reads: `kubectl -n sasquatch get secret sasquatch -o jsonpath=\'{.data.newbroker-usdf-password}\'` is not empty (the VaultSecret syncs it; else the KafkaUser stays NotReady and its wave waits).',
      'Merge, sync `sasquatch` (defaults); check: `kubectl -n sasquatch get kafkauser newbroker-usdf` is Ready, and Kafbat shows its ACLs.',
    ],
  },
  {
    title: 'Remove a user',
    manual: 'Removing a user account',
    file: PROD,
    edits: [{
      find: "      'snaps-usdf',\n",
      replace: '',
    }],
    allow: ['user-removal'],
    steps: ['Run `npm run plan -- --env <name> --from main --allow user-removal` to confirm only this user goes.', 'Merge, sync `sasquatch` with **Prune**; delete the credentials from 1Password/Vault.'],
  },
  {
    title: 'Add a certificate (mTLS) super user',
    manual: 'Retrieving Kafka superuser credentials',
    file: PROD,
    edits: [{
      find: "    superUser: 'kafka-admin',\n",
      replace: "    superUser: 'kafka-admin',\n    tlsSuperUser: 'kafka-admin-tls',\n",
    }],
    steps: [
      "The manual's super user `kafka-admin` is a password user: its password is `kafka-admin-password` in Vault (the 1Password item \"alert-stream idfint kafka-admin\"); `npm run secrets` lists it.",
      'Only for a tool that needs mutual TLS: merge, sync `sasquatch`; Strimzi writes the certificate to Secret `kafka-admin-tls`, and `CN=kafka-admin-tls` joins `superUsers`.',
    ],
  },
  {
    title: 'Change the Kafka version',
    manual: 'Updating the Kafka version',
    file: PROD,
    edits: [{
      find: "    version: '4.1.0',\n",
      replace: "    version: '4.1.1',\n",
    }],
    steps: ['Check the Strimzi operator supports the version; change dev first.', 'Merge, sync `sasquatch`; Strimzi rolls the brokers one by one.'],
  },
  {
    title: 'Resize broker storage',
    manual: 'Resizing Kafka broker disk storage',
    file: PROD,
    edits: [{
      find: "    storageSize: '35Ti',\n",
      replace: "    storageSize: '40Ti',\n",
    }],
    steps: [
      'Only increases are possible; `npm run plan` refuses a decrease (`storage-decrease`).',
      'Only where the StorageClass allows volume expansion: `npm run validate -- --server --env <name>` against the cluster warns for a pool whose class does not (`allowVolumeExpansion`), and refuses a class the cluster does not have.',
      'Merge, sync `sasquatch`; Strimzi resizes the PVCs during its next reconciliation. Check: `kubectl -n sasquatch get pvc` shows the new capacity for every broker.',
    ],
  },
  {
    title: 'Update the schema-sync image',
    manual: 'Updating the alert schema',
    file: PROD,
    edits: [{
      find: "  schemaSync: { imageTag: 'w.2026.28' },\n",
      replace: "  schemaSync: { imageTag: 'w.2026.35' },\n",
    }],
    steps: ['Test the tag on dev first.', 'Merge, sync `sasquatch`; the Sync hook Job `sasquatch-sync-schema` (stage 6) loads the schemas before stage 7 is applied; check them in Kafbat.'],
  },
  {
    title: 'Upgrade the schema registry (image, replicas, resources)',
    manual: 'Schema registry (strimzi-registry-operator)',
    file: PROD,
    edits: [{
      find: "  schemaRegistry: {\n    ingress:",
      replace: "  schemaRegistry: {\n    imageTag: '8.4.0',\n    ingress:",
    }],
    allow: ['registry-recreate'],
    steps: [
      'strimzi-registry-operator 0.7.1 reads a StrimziSchemaRegistry only when it is created, so a plain sync changes nothing running; `npm run plan` refuses until `--allow registry-recreate`.',
      'Merge, sync `sasquatch`; then `kubectl -n sasquatch delete strimzischemaregistry sasquatch-schema-registry` (its Deployment and Service go with it) and sync again: the operator creates them from the new spec.',
      'The schemas are in the topic `registry-schemas`; the new registry reads them back. Check `https://rubin-alert-schemas.slac.stanford.edu/schema-registry/subjects`.',
    ],
  },
  {
    title: 'Full restart: take the external load balancers out, then put them back',
    manual: 'Troubleshooting ("If you are fully restarting the Alert Broker")',
    file: PROD,
    edits: [{
      find: "  externalListener: {\n    type: 'loadbalancer',\n",
      replace: "  externalListener: {\n    takenOut: true,\n    type: 'loadbalancer',\n",
    }],
    allow: ['external-listener-removal'],
    steps: [
      'No hand edit of the generated files: the pinned broker addresses stay in the environment file and are still checked.',
      'Merge, sync `sasquatch`; Strimzi deletes the external bootstrap and broker Services. Check: `kubectl -n sasquatch get svc` lists no `sasquatch-kafka-external-*` Service. A Service left behind (an orphan, or one in another namespace or vcluster holding the same IP: MetalLB says "can\'t change sharing key") must be deleted by a cluster admin, or the IPs cannot be handed out again.',
      'Restart as the manual says: a rolling restart of the brokers (`kubectl -n sasquatch annotate strimzipodset sasquatch-kafka strimzi.io/manual-rolling-update=true`). Only for a broker that crash-loops on its data: delete its PVC by hand (`deleteClaim: false` keeps PVCs; `kubectl -n sasquatch delete pvc data-0-sasquatch-kafka-<id>`), then its pod; it rejoins empty and re-replicates. Never delete a controller\'s PVC: the new disk gets another cluster id and the controller cannot rejoin the quorum.',
      'Wait until the Kafka resource is Ready and every broker pod runs.',
      'Then delete the `takenOut: true` line (its plan has nothing unsafe), merge and sync: the Services come back with the same IPs and hosts. Finish with the second rolling restart (the same annotation), so every broker advertises its external address again. Check: a client reaches the bootstrap address and every broker host.',
    ],
  },
  {
    title: "Change a broker's IP (or host name)",
    manual: 'DNS Records; Changing the Kafka broker hostnames',
    file: PROD,
    edits: [{
      find: "      { nodeId: 8, host: 'rubin-alert-stream-broker-8.slac.stanford.edu', ip: '134.79.23.210' },\n",
      replace: "      { nodeId: 8, host: 'rubin-alert-stream-broker-8.slac.stanford.edu', ip: '134.79.23.216' },\n",
    }],
    allow: ['broker-identity-change'],
    steps: [
      'Have the new address assigned in the MetalLB pool and the DNS A record changed first (SQuARE/USDF).',
      'Merge, sync `sasquatch`; the broker Service gets the new IP; clients reconnect.',
    ],
  },
  {
    title: 'Add a broker',
    manual: 'DNS Records (broker ids and their pinned IPs)',
    file: PROD,
    edits: [
      { find: '    nodeIds: [5, 6, 7, 8, 9],\n', replace: '    nodeIds: [5, 6, 7, 8, 9, 10],\n' },
      { find: brokerEntry(9, '134.79.23.211'), replace: brokerEntry(9, '134.79.23.211') + brokerEntry(10, '134.79.23.216') },
    ],
    steps: [
      'Before: have the IP assigned in the MetalLB pool and the DNS A record created (SQuARE/USDF); synth refuses a broker without a pinned address.',
      'Merge, sync `sasquatch`. The pool gets one more replica and `strimzi.io/next-node-ids` names 10, so Strimzi creates broker 10 (not another id).',
      'Check: `kubectl -n sasquatch get kafkanodepool kafka -o jsonpath={.status.nodeIds}` lists 10, and pod `sasquatch-kafka-10` is Ready.',
      'Then move partitions onto it: a KafkaRebalance with `mode: add-brokers` and `brokers: [10]` (Cruise Control), approved, until Ready.',
    ],
  },
  {
    title: 'Remove a broker, change 1 of 3: declare it',
    manual: 'Scaling down brokers (Cruise Control remove-brokers)',
    file: PROD,
    edits: [{ find: '    nodeIds: [5, 6, 7, 8, 9],\n', replace: '    nodeIds: [5, 6, 7, 8, 9],\n    removing: [7],\n' }],
    steps: [
      'Broker 7 stays in `nodeIds` and keeps its address; the pool gets `strimzi.io/remove-node-ids: [7]`, so the scale-down of change 2 removes 7 (Strimzi would otherwise remove the highest id, 9). Nothing is removed yet.',
      'Merge, sync `sasquatch`. Then move the partitions off broker 7: apply a KafkaRebalance (`spec.mode: remove-brokers`, `spec.brokers: [7]`, label `strimzi.io/cluster: sasquatch`), and approve its proposal (`kubectl annotate kafkarebalance <name> strimzi.io/rebalance=approve`).',
      'Check before change 2: the KafkaRebalance is Ready, and broker 7 holds no partition replicas (Kafbat, Brokers; or `kafka-log-dirs.sh --describe --broker-list 7`). Strimzi refuses to remove a broker that still holds replicas.',
    ],
  },
  {
    title: 'Remove a broker, change 2 of 3: scale down',
    manual: 'Scaling down brokers (Cruise Control remove-brokers)',
    file: PROD,
    after: 'Remove a broker, change 1 of 3: declare it',
    edits: [{ find: '    nodeIds: [5, 6, 7, 8, 9],\n', replace: '    nodeIds: [5, 6, 8, 9],\n' }],
    steps: [
      '`npm run plan` takes this as the second step (the ids dropped were listed in `removing` before), so nothing is unsafe; without change 1 it is refused as `node-removal`, naming change 1.',
      'Merge, sync `sasquatch`. Strimzi removes broker 7; its pinned address stays in the Kafka resource until it is gone.',
      'Check: `status.nodeIds` of pool `kafka` is [5, 6, 8, 9] and pod `sasquatch-kafka-7` is gone.',
    ],
  },
  {
    title: 'Remove a broker, change 3 of 3: release its address',
    manual: 'DNS Records (broker ids and their pinned IPs)',
    file: PROD,
    after: 'Remove a broker, change 2 of 3: scale down',
    edits: [
      { find: '    removing: [7],\n', replace: '' },
      { find: brokerEntry(7, '134.79.23.215'), replace: '' },
    ],
    steps: [
      'Safe now: `plan` knows broker 7 was removed (listed in `remove-node-ids` and in no pool).',
      'Merge, sync `sasquatch`; then release the IP and the DNS record, and delete the PVC `data-0-sasquatch-kafka-7` by hand (`deleteClaim: false` keeps it).',
    ],
  },
  {
    title: 'Move a broker to a new node id',
    manual: 'DNS Records (broker ids and their pinned IPs)',
    file: PROD,
    after: 'Add a broker',
    edits: [{ find: '    nodeIds: [5, 6, 7, 8, 9, 10],\n', replace: '    nodeIds: [5, 6, 7, 8, 9, 10],\n    removing: [9],\n' }],
    steps: [
      'A move is an addition, then a removal, never one change: Strimzi ignores a new id in place of an old one when the replica count stays the same, and `plan` refuses that (`node-removal`: add first).',
      'Change 1 is "Add a broker" (broker 10, with its own address; then the add-brokers rebalance). This is the next change: the first of "Remove a broker" for broker 9, then its changes 2 and 3.',
    ],
  },
];

/** What the environment's `ingressControllerPods` means inside a virtual cluster (no edit, so no plan). */
const VCLUSTER_NOTE = [
  '## NetworkPolicies in a vcluster',
  '',
  'Kafbat and the archive server leave the login to their ingress, so their NetworkPolicies admit only the',
  'ingress controller\'s pods, named by `ingressControllerPods` (`namespace` and `podLabels`; required, no default).',
  'USDF prompt processing runs in a vcluster whose ingress controller (Phalanx disables ingress-nginx there)',
  'runs on the host cluster. Inside a vcluster:',
  '',
  '- vcluster copies NetworkPolicies to the host only when its network-policy sync is on',
  '  (`sync.toHost.networkPolicies.enabled`); otherwise they restrict nothing, and any pod that reaches the',
  '  Service reaches Kafbat without logging in. Check with the host\'s admins: `kubectl get networkpolicy -A` on the',
  '  host lists the synced copies.',
  '- Synced, a policy\'s selectors are rewritten to name pods of the vcluster only: no `namespace`/`podLabels`',
  '  inside it can name the host\'s controller, so the login route is blocked until the host admits it. The',
  '  host\'s admins then add a host-side policy admitting their controller to the synced pods; record the',
  '  arrangement beside `ingressControllerPods` in the environment file.',
  '- The environment files keep what the output always admitted (`ingress-nginx`, `app.kubernetes.io/name:',
  '  ingress-nginx`) until USDF confirms the controller\'s location.',
  '',
];

/** Applies a procedure's edits to the file text; fails if a text to replace is not there exactly once. */
export function applyEdit(source: string, procedure: Procedure): string {
  return procedure.edits.reduce((text, { find, replace }) => {
    const at = text.indexOf(find);
    if (at < 0 || text.indexOf(find, at + 1) >= 0) {
      throw new Error(`procedure '${procedure.title}': ${JSON.stringify(find)} occurs ${at < 0 ? 'nowhere' : 'more than once'} in ${procedure.file}`);
    }
    return text.slice(0, at) + replace + text.slice(at + find.length);
  }, source);
}

/** Evaluates an environment file's text (it imports only types) and returns the environment it exports. */
export function evaluateEnvironment(source: string): Environment {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  vm.runInNewContext(js, { module, exports: module.exports, require: () => ({}) });
  const [env] = Object.values(module.exports) as Environment[];
  return env;
}

/** docs/operations.md, from the environment files' current text (by path). */
/** The file text a procedure starts from: the file, or the result of the procedure it follows. */
export function procedureSource(sources: Readonly<Record<string, string>>, procedure: Procedure): string {
  if (!procedure.after) return sources[procedure.file];
  const previous = PROCEDURES.find((p) => p.title === procedure.after);
  if (!previous) throw new Error(`procedure '${procedure.title}' follows '${procedure.after}', which is no procedure`);
  return applyEdit(procedureSource(sources, previous), previous);
}

export function renderOperationsDoc(sources: Readonly<Record<string, string>>): string {
  const sections = PROCEDURES.map((p) => {
    const before = procedureSource(sources, p);
    const after = applyEdit(before, p);
    const env = evaluateEnvironment(before);
    const plan = planChanges(synthesizedObjects(env), synthesizedObjects(evaluateEnvironment(after)), p.allow ?? []);
    const patch = createTwoFilesPatch(`a/${p.file}`, `b/${p.file}`, before, after, '', '', { context: 2 })
      .split('\n').slice(1).join('\n').trimEnd();
    const command = `npm run plan -- --env ${env.name} --from main${(p.allow ?? []).map((r) => ` --allow ${r}`).join('')}`;
    return [
      `## ${p.title}`,
      '',
      `Manual: "${p.manual}".${p.after ? ` After: "${p.after}" (its edit applied).` : ''}`,
      '',
      '```diff',
      patch,
      '```',
      '',
      `\`${command}\`:`,
      '',
      '```text',
      formatPlan(env.name, plan).trimEnd(),
      '```',
      '',
      ...p.steps.map((s) => `- ${s}`),
    ].join('\n');
  });
  return [
    '# Operations: the manual\'s procedures as changes',
    '',
    '<!-- Generated by `npm run docs` from lib/operations-doc.ts and the environment files; a test fails when it is stale. -->',
    '',
    'Each procedure of DMTN-214 that changes the deployment is one edit of an environment file. Below: the',
    'exact edit, the `npm run plan` output it produces against the unedited file, and what to do around it.',
    'Unsafe changes exit 1 until allowed by rule name, after the procedure is followed.',
    '',
    ...sections.flatMap((s) => [s, '']),
    ...VCLUSTER_NOTE,
  ].join('\n');
}
