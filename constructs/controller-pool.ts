import { Construct } from 'constructs';
import { NodePool, NodePoolProps } from './node-pool';

/**
 * The KRaft controller quorum: a KafkaNodePool with the `controller` role,
 * named `controller` unless told otherwise. Deployed first; its pods start
 * only once the Kafka resource exists.
 * @stateful
 */
export class ControllerPool extends NodePool {
  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id, props, 'controller', 'controller');
  }
}
