// Every workload kind with a pod template is read by the image rule, on hand-made objects (no synthesis): a kind it
// skipped would let an unpinned image through.
import { imagesOf, setsImages } from '../../constructs/rules/image-digests';

const pod = { containers: [{ image: 'a:1' }], initContainers: [{ image: 'b:2' }] };

test.each(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'])('a %s: the images of its pod template, init containers first', (kind) => {
  expect(imagesOf({ kind, spec: { template: { spec: pod } } })).toEqual([
    { field: 'spec.template.spec.initContainers[0].image', image: 'b:2' },
    { field: 'spec.template.spec.containers[0].image', image: 'a:1' },
  ]);
});

test.each(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'StrimziSchemaRegistry'])('a %s can set an image', (kind) => {
  expect(setsImages(kind)).toBe(true);
});

test.each(['ConfigMap', 'KafkaUser', 'KafkaTopic', 'Kafka', 'KafkaNodePool', 'NetworkPolicy', 'Service', '', undefined])('a %s sets no image', (kind) => {
  expect(setsImages(kind)).toBe(false);
});
