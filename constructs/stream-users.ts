import { Construct } from 'constructs';
import { KafkaUserAccount } from './kafka-user';
import { expandStreamUsers, StreamUsersOptions } from './user-acls';
import type { VaultBackedSecret } from './vault-secret';

export interface StreamUsersProps {
  /** Name of the Kafka resource the users belong to. */
  readonly clusterName: string;
  readonly users: StreamUsersOptions;
  /** The Secret holding each user's password under `<username>-password`. */
  readonly passwords: VaultBackedSecret;
}

/**
 * The password (SCRAM-SHA-512) users of the alert stream: community brokers,
 * developers and service accounts, one KafkaUser each.
 * @stateful Removing a user revokes its access once Argo CD prunes it.
 */
export class StreamUsers extends Construct {
  public readonly accounts: readonly KafkaUserAccount[];

  constructor(scope: Construct, id: string, props: StreamUsersProps) {
    super(scope, id);
    this.accounts = expandStreamUsers(props.users).map((user) => new KafkaUserAccount(this, user.username, {
      clusterName: props.clusterName,
      username: user.username,
      authentication: {
        type: 'scram-sha-512',
        password: props.passwords.keyRef(`${user.username}-password`, `KafkaUser/${user.username}`),
      },
      acls: user.acls,
    }));
  }
}
