import { Construct } from 'constructs';
import {
  KafkaUser,
  KafkaUserSpecAuthenticationType,
  KafkaUserSpecAuthorizationAclsOperations,
  KafkaUserSpecAuthorizationAclsResourcePatternType,
  KafkaUserSpecAuthorizationAclsResourceType,
  KafkaUserSpecAuthorizationAclsType,
  KafkaUserSpecAuthorizationType,
} from '../imports/strimzi-kafkauser-kafka.strimzi.io';
import { SecretKeyRef, STRIMZI_CLUSTER_LABEL } from './types';

/** A Kafka ACL operation, as Strimzi spells it. */
export type AclOperation = `${KafkaUserSpecAuthorizationAclsOperations}`;

/** What an ACL grants access to. */
export interface AclResource {
  readonly type: 'topic' | 'group' | 'cluster' | 'transactionalId';
  /** Topic, group or transactional id; `*` is every one. Not used for `cluster`. */
  readonly name?: string;
  /** @default 'literal' */
  readonly patternType?: 'literal' | 'prefix';
}

/** One allow rule. Deny rules are never needed: Kafka denies what is not allowed. */
export interface AclRule {
  readonly resource: AclResource;
  readonly operations: readonly AclOperation[];
  /** @default - any host (no `host` field is rendered) */
  readonly host?: string;
}

/** How a user proves who it is. */
export type UserAuthentication =
  /** A client certificate Strimzi issues into Secret `<username>` (in-cluster clients). */
  | { readonly type: 'tls' }
  /** A password read from a Secret the user operator does not own (community brokers). */
  | { readonly type: 'scram-sha-512'; readonly password: SecretKeyRef };

export interface KafkaUserAccountProps {
  /** Name of the Kafka resource the user belongs to. */
  readonly clusterName: string;
  /** @stateful Kafka principal name; also the name of the KafkaUser and of its Secret. */
  readonly username: string;
  readonly authentication: UserAuthentication;
  /** @default - no ACLs (the user can do nothing unless it is a super user) */
  readonly acls?: readonly AclRule[];
}

/**
 * A Strimzi KafkaUser with `simple` authorization.
 * @stateful Removing it revokes the user's access.
 */
export class KafkaUserAccount extends Construct {
  public readonly username: string;
  public readonly authentication: UserAuthentication;
  private readonly rules: readonly AclRule[];

  constructor(scope: Construct, id: string, props: KafkaUserAccountProps) {
    super(scope, id);
    this.username = props.username;
    this.authentication = props.authentication;
    this.rules = props.acls ?? [];

    new KafkaUser(this, 'Resource', {
      metadata: { name: props.username, labels: { [STRIMZI_CLUSTER_LABEL]: props.clusterName } },
      spec: {
        authentication: renderAuthentication(props.authentication),
        authorization: {
          type: KafkaUserSpecAuthorizationType.SIMPLE,
          acls: this.rules.map((rule) => ({
            type: KafkaUserSpecAuthorizationAclsType.ALLOW,
            resource: {
              type: rule.resource.type as KafkaUserSpecAuthorizationAclsResourceType,
              name: rule.resource.name,
              patternType: (rule.resource.patternType ?? 'literal') as KafkaUserSpecAuthorizationAclsResourcePatternType,
            },
            operations: rule.operations.map((op) => op as KafkaUserSpecAuthorizationAclsOperations),
            host: rule.host,
          })),
        },
      },
    });
  }

  /** The principal Kafka sees: `CN=<name>` for certificates, the name for passwords. */
  public get principal(): string {
    return this.authentication.type === 'tls' ? `CN=${this.username}` : this.username;
  }

  /** The user's ACL rules (a copy). */
  public get acls(): AclRule[] {
    return [...this.rules];
  }
}

function renderAuthentication(auth: UserAuthentication) {
  if (auth.type === 'tls') return { type: KafkaUserSpecAuthenticationType.TLS };
  return {
    type: KafkaUserSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512,
    password: { valueFrom: { secretKeyRef: { name: auth.password.secretName, key: auth.password.key } } },
  };
}
