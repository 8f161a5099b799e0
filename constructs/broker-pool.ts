import { Construct } from 'constructs';
import { NodePool, NodePoolProps } from './node-pool';

/**
 * The Kafka brokers: a KafkaNodePool with the `broker` role, named `kafka`
 * unless told otherwise. Its node ids are the ids the external listener pins
 * an IP and a host name to.
 * @stateful
 */
export class BrokerPool extends NodePool {
  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id, props, 'broker', 'kafka');
  }
}
