import { checkShape, EnvironmentError, formatProblem, quote } from '../../constructs/rules';
import { Environment, environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const schema = require('../../generated/environment.schema.json');

const prod = environments['usdfprod-prompt-processing'];
const local = environments['local-bootstrap'];
const broken = (change: (env: any) => void, base: Environment = prod): Environment => {
  const env = structuredClone(base) as any;
  change(env);
  return env;
};

describe('the environment has the declared shape at run time', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkShape(env)).toEqual([]);
  });

  test('fails when a required field is missing', () => {
    expect(checkShape(broken((e) => delete e.users.developers))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Environment',
      field: 'users.developers',
      message: 'is missing; every environment must set it (see constructs/alert-stream-props.ts)',
    }]);
  });

  test('a free-form key (a pod label) is named as written, "/" and "~" included, and its value is quoted', () => {
    // JSON pointers escape '/' as ~1 and '~' as ~0: the problem names the key as the environment spells it.
    const labels = { 'app.kubernetes.io/name': 'bad value!', 'a/b/c': 'two!', 'a~b~c': 'x y', 'c~1d': '-' };
    expect(checkShape(broken((e) => { e.ingressControllerPods.podLabels = labels; })).map((p) => [p.field, p.message])).toEqual([
      ['ingressControllerPods.podLabels.app.kubernetes.io/name', expect.stringMatching(/^'bad value!' is not a Kubernetes label value/)],
      ['ingressControllerPods.podLabels.a/b/c', expect.stringMatching(/^'two!' is not a Kubernetes label value/)],
      ['ingressControllerPods.podLabels.a~b~c', expect.stringMatching(/^'x y' is not a Kubernetes label value/)],
      ['ingressControllerPods.podLabels.c~1d', expect.stringMatching(/^'-' is not a Kubernetes label value/)],
    ]);
  });

  test('fails when a field is misspelled', () => {
    expect(checkShape(broken((e) => { e.kafka.replicationFactors = 3; }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Environment',
      field: 'kafka.replicationFactors',
      message: 'is not a field of this object (misspelled?); the allowed fields are in constructs/alert-stream-props.ts',
    }]);
  });

  test('fails when a value has the wrong type, names the element', () => {
    expect(checkShape(broken((e) => { e.brokers.nodeIds[2] = '7'; }))).toEqual([
      expect.objectContaining({ field: 'brokers.nodeIds[2]', message: "must be integer, not '7'" }),
    ]);
  });

  test('fails when a choice is not one of its values', () => {
    expect(checkShape(broken((e) => { e.ingressController = 'traefik'; }))).toEqual([
      expect.objectContaining({ field: 'ingressController', message: '\'traefik\' is not allowed; must be one of "gafaelfawr", "nginx"' }),
    ]);
  });

  test('synth stops at the shape: a missing list is a named problem, not a crash', () => {
    expect(() => synthesizeEnvironment(broken((e) => delete e.topics))).toThrow(
      'usdfprod-prompt-processing: Environment topics: is missing; every environment must set it (see constructs/alert-stream-props.ts)');
  });
});

/** Each case: a change, the field it breaks, and what the one problem line says. */
type Case = [string, (env: any) => void, string, RegExp];

const families: Record<string, Case[]> = {
  'names (DNS labels, object names)': [
    ['an empty super user', (e) => { e.kafka.superUser = ''; }, 'kafka.superUser', /^'' is not a Kubernetes object name/],
    ['a super user with capitals', (e) => { e.kafka.superUser = 'Kafka-Admin'; }, 'kafka.superUser', /^'Kafka-Admin' is not a Kubernetes object name/],
    ['an environment name with an underscore', (e) => { e.name = 'usdf_prod'; }, 'name', /^'usdf_prod' is not a DNS label/],
    ['a namespace too long for a label', (e) => { e.namespace = 'a'.repeat(64); }, 'namespace', /is not a DNS label/],
    ['a cluster name with a dot', (e) => { e.kafka.name = 'sas.quatch'; }, 'kafka.name', /is not a DNS label/],
    ['a community broker name with a space', (e) => { e.users.communityBrokers[0] = 'alerce usdf'; }, 'users.communityBrokers[0]', /is not a Kubernetes object name/],
    ['a storage class with a slash', (e) => { e.brokers.storageClass = 'a/b'; }, 'brokers.storageClass', /is not a Kubernetes object name/],
    ['an address pool that is empty', (e) => { e.externalListener.addressPool = ''; }, 'externalListener.addressPool', /is not a Kubernetes object name/],
  ],
  'hosts': [
    ['a URL where a host is expected', (e) => { e.host = 'https://usdf-rsp.slac.stanford.edu'; }, 'host', /^'https:\/\/usdf-rsp.slac.stanford.edu' is not a DNS host name/],
    ['a host with a path', (e) => { e.schemaRegistry.ingress.host = 'usdf-alert-schemas.slac.stanford.edu/x'; }, 'schemaRegistry.ingress.host', /is not a DNS host name/],
    ['a broker host with an underscore', (e) => { e.externalListener.brokers[0].host = 'broker_5'; }, 'externalListener.brokers[0].host', /^'broker_5' is not a DNS host name/],
    ['a host with a port', (e) => { e.externalListener.bootstrap.host = 'alerts.example.org:9094'; }, 'externalListener.bootstrap.host', /is not a DNS host name/],
  ],
  'paths and URLs': [
    ['an ingress path without a leading /', (e) => { e.schemaRegistry.ingress.path = 'schema-registry'; }, 'schemaRegistry.ingress.path', /^'schema-registry' is not the path of a URL/],
    ['a path with a space', (e) => { e.alertDatabase.server = { ...e.alertDatabase.server, path: '/v1 x' }; }, 'alertDatabase.server.path', /is not the path of a URL/],
    ['an empty Vault path', (e) => { e.vaultPathPrefix = ''; }, 'vaultPathPrefix', /^'' is not a Vault path/],
    ['a Vault path with a leading /', (e) => { e.vaultPathPrefix = '/secret/rubin'; }, 'vaultPathPrefix', /is not a Vault path/],
    ['a Vault path with ..', (e) => { e.vaultPathPrefix = 'secret/../rubin'; }, 'vaultPathPrefix', /is not a Vault path/],
    ['an S3 endpoint that is not a URL', (e) => { e.alertDatabase.storage.endpointUrl = 's3.example.org'; }, 'alertDatabase.storage.endpointUrl', /is not an http\(s\) URL/],
  ],
  'quantities': [
    ['storage 0Ti', (e) => { e.brokers.storageSize = '0Ti'; }, 'brokers.storageSize', /^'0Ti' is not a Kubernetes memory or storage quantity above zero/],
    ['storage 0.0Gi', (e) => { e.controllers.storageSize = '0.0Gi'; }, 'controllers.storageSize', /above zero/],
    ['storage in decimal terabytes', (e) => { e.brokers.storageSize = '35T'; }, 'brokers.storageSize', /above zero, in binary units/],
    ['a negative memory request', (e) => { e.brokers.resources.requests.memory = '-1Gi'; }, 'brokers.resources.requests.memory', /quantity above zero/],
    ['a CPU limit of 0', (e) => { e.brokers.resources.limits.cpu = '0'; }, 'brokers.resources.limits.cpu', /^'0' is not a Kubernetes CPU quantity above zero/],
    ['a CPU of 0m', (e) => { e.schemaSync.resources = { requests: { cpu: '0m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }; }, 'schemaSync.resources.requests.cpu', /CPU quantity above zero/],
  ],
  'numbers (integers, ranges, NaN and Infinity)': [
    ['a negative replica count', (e) => { e.schemaRegistry.replicas = -1; }, 'schemaRegistry.replicas', /^-1 is out of range: must be 0 to 2147483647/],
    ['a negative grace period', (e) => { e.brokers.terminationGracePeriodSeconds = -5; }, 'brokers.terminationGracePeriodSeconds', /^-5 is out of range: must be 0 to 2147483647/],
    ['NaN in a broker setting', (e) => { e.kafka.config['message.max.bytes'] = NaN; }, "kafka.config.message.max.bytes", /^NaN is not a whole number 0 to 2147483647/],
    ['Infinity partitions', (e) => { e.topics[0].partitions = Infinity; }, 'topics[0].partitions', /^Infinity is not a whole number 1 to 2147483647/],
    ['a node id beyond int32', (e) => { e.brokers.nodeIds[0] = 2 ** 31; }, 'brokers.nodeIds[0]', /^2147483648 is out of range: must be 0 to 2147483647/],
    ['partitions beyond int32', (e) => { e.topics[0].partitions = 2 ** 31; }, 'topics[0].partitions', /out of range/],
    ['a fractional partition count', (e) => { e.topics[0].partitions = 1.5; }, 'topics[0].partitions', /^1.5 is not a whole number/],
    ['zero partitions', (e) => { e.topics[0].partitions = 0; }, 'topics[0].partitions', /^0 is out of range: must be 1 to/],
    ['a replication factor beyond int16', (e) => { e.kafka.replicationFactor = 40000; }, 'kafka.replicationFactor', /must be 1 to 32767/],
    ['a retention below -1', (e) => { e.topics[0].config = { 'retention.ms': -2 }; }, "topics[0].config.retention.ms", /must be -1 to 9007199254740991/],
    ['a negative KEDA minimum', (e) => { e.alertDatabase.ingester.autoscaling.minReplicas = -1; }, 'alertDatabase.ingester.autoscaling.minReplicas', /out of range/],
    ['schedulable nodes 0', (e) => { e.schedulableNodes = 0; }, 'schedulableNodes', /out of range: must be 1 to/],
  ],
  'topic names': [
    ['a topic starting with .', (e) => { e.topics[0].name = '.hidden'; }, 'topics[0].name', /^'.hidden' is not a Kafka topic name/],
    ['a topic starting with _', (e) => { e.topics[0].name = '_private'; }, 'topics[0].name', /is not a Kafka topic name/],
    ['a Kafka-internal topic', (e) => { e.topics[0].name = '__consumer_offsets'; }, 'topics[0].name', /is not a Kafka topic name/],
    ['a topic ending with -', (e) => { e.topics[0].name = 'alerts-'; }, 'topics[0].name', /is not a Kafka topic name/],
    ['an ACL naming an internal topic', (e) => { e.users.communityReadonlyTopics = [...e.users.communityReadonlyTopics, '__consumer_offsets']; }, `users.communityReadonlyTopics[${prod.users.communityReadonlyTopics.length}]`, /is not a Kafka topic name/],
    ['an external topic with a space', (e) => { e.externalTopics = ['a b']; }, 'externalTopics[0]', /is not a Kafka topic name/],
  ],
  'versions, tags, addresses and schedules': [
    ['a Kafka version without a patch number', (e) => { e.kafka.version = '4.1'; }, 'kafka.version', /^'4.1' is not a Kafka version/],
    ['a Kafka version "latest"', (e) => { e.kafka.version = 'latest'; }, 'kafka.version', /is not a Kafka version/],
    ['a metadata version without IV', (e) => { e.kafka.metadataVersion = '4.1'; }, 'kafka.metadataVersion', /is not a Kafka metadata version/],
    ['an image tag with a colon', (e) => { e.schemaSync.imageTag = 'w.2026.28:latest'; }, 'schemaSync.imageTag', /is not a container image tag/],
    ['an IP beyond 255', (e) => { e.externalListener.bootstrap.ip = '134.79.23.999'; }, 'externalListener.bootstrap.ip', /^'134.79.23.999' is not a dotted-quad IPv4 address/],
    ['a maintenance window that is not cron', (e) => { e.kafka.maintenanceTimeWindows = ['sundays']; }, 'kafka.maintenanceTimeWindows[0]', /is not a Quartz cron expression/],
    ['a toleration key with spaces', (e) => { e.brokers.tolerations = [{ key: 'a b', operator: 'Exists' }]; }, 'brokers.tolerations[0].key', /is not a Kubernetes label key/],
    ['a secret key with a slash', (e) => { e.externalSecrets = [{ name: 'x', keys: ['a/b'], createdBy: 'me' }]; }, 'externalSecrets[0].keys[0]', /is not a key of a Secret or ConfigMap/],
    ['a bucket with capitals', (e) => { e.alertDatabase.storage.alertBucket = 'Alerts'; }, 'alertDatabase.storage.alertBucket', /is not an S3 bucket name/],
  ],
};

describe.each(Object.entries(families))('every field of the family %s is checked', (_family, cases) => {
  test.each(cases)('%s', (_name, change, field, message) => {
    const problems = checkShape(broken(change));
    expect(problems).toEqual([expect.objectContaining({ resource: 'Environment', field, message: expect.stringMatching(message) })]);
    expect(() => synthesizeEnvironment(broken(change))).toThrow(field);
  });
});

describe('union-typed options', () => {
  test('a load-balancer broker without an IP gets one line, about the load-balancer listener only', () => {
    const problems = checkShape(broken((e) => { delete e.externalListener.brokers[0].ip; }));
    expect(problems.map(formatProblem)).toEqual([
      'usdfprod-prompt-processing: Environment externalListener.brokers[0].ip: is missing; every environment must set it (see constructs/alert-stream-props.ts)',
    ]);
  });

  test('a node port below the range', () => {
    const problems = checkShape(broken((e) => { e.externalListener.bootstrapNodePort = 80; }, local));
    expect(problems).toEqual([expect.objectContaining({ field: 'externalListener.bootstrapNodePort', message: expect.stringMatching(/^80 is out of range: must be 30000 to 32767/) })]);
  });

  test('a node-port listener is checked as one', () => {
    const problems = checkShape(broken((e) => { e.externalListener.brokers[0].nodePort = 99999; }, local));
    expect(problems).toEqual([expect.objectContaining({ field: 'externalListener.brokers[0].nodePort', message: expect.stringMatching(/^99999 is out of range: must be 30000 to 32767/) })]);
  });

  test('an unknown kind names the discriminator', () => {
    const problems = checkShape(broken((e) => { e.externalListener.type = 'ingress'; }));
    expect(problems).toEqual([expect.objectContaining({ field: 'externalListener.type' })]);
  });
});

test('a problem line quotes at most 100 characters of user input', () => {
  const huge = 'x'.repeat(100_000);
  const lines = [
    ...checkShape(broken((e) => { e.host = huge; })),
    ...checkShape(broken((e) => { e.users.communityBrokers[0] = `Bad${huge}`; })),
    ...checkShape(broken((e) => { e.kafka[huge] = 1; })),
  ].map(formatProblem);
  expect(lines).toHaveLength(3);
  for (const line of lines) expect(line.length).toBeLessThan(400);
  expect(lines[0]).toContain('…(100000 characters)');
});

test('formatProblem cuts any huge word, whichever rule wrote it', () => {
  const line = formatProblem({ env: 'e', resource: 'KafkaTopic/x', field: 'topics[0].name', message: `'${'y'.repeat(5000)}' is bad` });
  expect(line.length).toBeLessThan(300);
  expect(line).toContain('…(5002 characters)');
});

test('quote shows every kind of value, cut after 100 characters', () => {
  expect([quote('a'), quote(5), quote(NaN), quote(undefined), quote(10n), quote(null), quote({ a: [1] }), quote(Symbol('s')), quote(true)])
    .toEqual(["'a'", '5', 'NaN', 'undefined', '10', 'null', '{"a":[1]}', 'Symbol(s)', 'true']);
  expect(quote('z'.repeat(100))).toBe(`'${'z'.repeat(100)}'`);
  expect(quote('z'.repeat(101))).toBe(`'${'z'.repeat(100)}…(101 characters)'`);
  expect(quote([1, 2, 3], 3)).toBe('[1,…(7 characters)');
});

test('formatProblem keeps words of up to 140 characters; EnvironmentError carries every problem, one line each', () => {
  const word = 'w'.repeat(140);
  expect(formatProblem({ env: 'e', resource: 'R/r', field: 'f', message: `${word} ${word}w ${word}ww` }))
    .toBe(`e: R/r f: ${word} ${'w'.repeat(100)}…(141 characters) ${'w'.repeat(100)}…(142 characters)`);
  const problems = [{ env: 'e', resource: 'R/a', field: 'f', message: 'm1' }, { env: 'e', resource: 'R/b', field: 'g', message: 'm2' }];
  const error = new EnvironmentError(problems);
  expect([error.name, error.message, error.problems]).toEqual(['EnvironmentError', 'e: R/a f: m1\ne: R/b g: m2', problems]);
});

/**
 * Complete by construction: every string and number of the environment has a format or a range, from a
 * documented value type, so a field added without one fails here.
 */
describe('the environment schema gives every value a format or a range', () => {
  const leaves: Array<[string, any]> = [];
  const walk = (node: any, at: string, seen: readonly string[]): void => {
    if (node.$ref) {
      const name = node.$ref.split('/').pop();
      if (seen.includes(name)) return;
      const def = schema.definitions[name];
      if ((def.pattern || def.minimum !== undefined) && !def.description) leaves.push([`${at} (${name} has no description)`, { type: 'undocumented' }]);
      walk(def, at, [...seen, name]);
      return;
    }
    for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? []).map((a: any) => a.then ?? a)]) walk(branch, at, seen);
    if (node.properties) for (const [k, v] of Object.entries(node.properties)) walk(v, `${at}.${k}`, seen);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${at}.*`, seen);
    if (node.items) walk(node.items, `${at}[]`, seen);
    const type = [node.type].flat()[0];
    if (['string', 'number', 'integer'].includes(type) && !node.properties) leaves.push([at, node]);
  };
  walk(schema, '', []);
  const bare = leaves.filter(([, n]) => {
    if (n.type === 'undocumented') return true;
    const type = [n.type].flat()[0];
    if (n.enum || n.const !== undefined) return false;
    if (type === 'string') return !n.pattern;
    return type !== 'integer' || n.minimum === undefined || n.maximum === undefined;
  }).map(([at]) => at);

  test('there are many values to check', () => expect(leaves.length).toBeGreaterThan(80));
  test('no string without a pattern, no number without integer bounds, no type without a description', () => expect(bare).toEqual([]));
});

describe('shape: every kind of message', () => {
  test('something that is not an environment at all is one line about the whole, unnamed', () => {
    expect(checkShape(42 as any)).toEqual([{ env: '<unnamed environment>', resource: 'Environment', field: '(environment)', message: 'must be object, not 42' }]);
  });

  test('a name that is not a string leaves the environment unnamed', () => {
    expect(checkShape(broken((e) => { e.name = 7; })).map((p) => [p.env, p.field])).toEqual([['<unnamed environment>', 'name']]);
  });

  test('a number that is not finite, where text is expected', () => {
    expect(checkShape(broken((e) => { e.host = Infinity; })).map((p) => [p.field, p.message])).toEqual([['host', 'Infinity is not a number this field can hold']]);
  });

  test('an unknown kind of option names the kinds', () => {
    expect(checkShape(broken((e) => { e.externalListener.type = 'ingress'; })).map((p) => p.message)).toEqual([
      '\'ingress\' is not allowed; must be one of "loadbalancer", "nodeport"',
    ]);
  });

  test('names and keys are quoted at most 60 characters long; a key with / or ~ is shown as written', () => {
    expect(checkShape(broken((e) => { e['k'.repeat(70)] = 1; })).map((p) => p.field)).toEqual([`${'k'.repeat(60)}…(70 characters)`]);
    expect(checkShape(broken((e) => { e.kafka.config['a/b~c'] = 'x'; })).map((p) => p.field)).toEqual(['kafka.config.a/b~c']);
    expect(checkShape(broken((e) => { e.name = 'x'.repeat(200); }))[0].env).toBe(`${'x'.repeat(60)}…(200 characters)`);
  });

  test('a section that is null, and a number too large for a count', () => {
    expect(checkShape(broken((e) => { e.kafka = null; })).map((p) => `${p.field}: ${p.message}`)).toEqual(['kafka: must be object, not null']);
    expect(checkShape(broken((e) => { e.kafka.replicationFactor = Number('1e400'); })).map((p) => p.message)).toEqual([
      'Infinity is not a whole number 1 to 32767 (a Kafka replication factor or in-sync replica count (Kafka stores it as int16))',
    ]);
  });

  test('undefined and null are unnamed environments', () => {
    expect(checkShape(undefined as any).map((p) => p.env)).toEqual(['<unnamed environment>']);
    expect(checkShape(null as any).map((p) => `${p.env} ${p.field}`)).toEqual(['<unnamed environment> (environment)']);
  });

  test('only whole-number segments are list indexes, of any length', () => {
    expect(checkShape(broken((e) => { e.kafka.replicationFactor2 = 1; e.kafka['1x'] = 1; })).map((p) => p.field)).toEqual(['kafka.replicationFactor2', 'kafka.1x']);
    expect(checkShape(broken((e) => { e.users.communityBrokers = [...e.users.communityBrokers, 'x-usdf', 'Bad']; })).map((p) => p.field))
      .toEqual([`users.communityBrokers[${prod.users.communityBrokers.length + 1}]`]);
  });

  test('the documentation of the type is the explanation: no backticks, no final full stop, lower-case start', () => {
    expect(checkShape(broken((e) => { e.host = 'https://x.org'; })).map((p) => p.message)).toEqual([
      "'https://x.org' is not a DNS host name: no scheme, port or path (alerts.example.org, localhost)",
    ]);
    expect(checkShape(broken((e) => { e.kafka.version = '4.1'; })).map((p) => p.message)).toEqual(["'4.1' is not a Kafka version, major.minor.patch (4.1.0)"]);
  });

  test('the generated validator reports only keywords checkShape words itself', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const source: string = require('node:fs').readFileSync(require.resolve('../../generated/environment.validator.js'), 'utf8');
    const keywords = new Set([...source.matchAll(/keyword:"([a-zA-Z]+)"/g)].map((m) => m[1]));
    expect([...keywords].filter((k) => !['required', 'additionalProperties', 'enum', 'const', 'pattern', 'minimum', 'maximum', 'type', 'if'].includes(k))).toEqual([]);
    expect(keywords.size).toBeGreaterThan(5);
  });

  test('a misspelled field of a list element names the element and the field', () => {
    expect(checkShape(broken((e) => { e.topics[1].partition = 3; })).map((p) => `${p.field}: ${p.message}`)).toEqual([
      'topics[1].partition: is not a field of this object (misspelled?); the allowed fields are in constructs/alert-stream-props.ts',
    ]);
  });
});
