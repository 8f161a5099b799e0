// The Kafka side of the data-plane tier (test/dataplane): Apache Kafka's own Java client, at the broker's version
// (kafka-clients from tools/dataplane/pom.xml), doing what the test asks and answering in JSON on standard output.
//   java DataPlaneProbe validate-config <server.properties>   Kafka's own broker-config validation (KafkaConfig)
//   java DataPlaneProbe <request.json>                        one of: setup, matrix, produce, consume
// Every request names its clients: {bootstrap, protocol: SASL_PLAINTEXT|SSL|PLAINTEXT, username, password,
// certificate, key, ca}. Outcomes: "allowed", "denied" (an authorization error), "refused" (authentication failed
// or the connection was never admitted); anything else is "error" with its message, which the test reports.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public final class DataPlaneProbe {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    ObjectNode answer;
    if (args.length == 2 && args[0].equals("validate-config")) {
      answer = validateConfig(args[1]);
    } else {
      JsonNode request = JSON.readTree(Files.readString(Path.of(args[0])));
      switch (request.get("action").asText()) {
        case "setup" -> answer = setup(request);
        case "matrix" -> answer = matrix(request);
        case "produce" -> answer = produce(request);
        case "consume" -> answer = consume(request);
        case "acls" -> answer = acls(request);
        default -> throw new IllegalArgumentException("unknown action " + request.get("action"));
      }
    }
    System.out.println(JSON.writeValueAsString(answer));
    System.out.flush();
    // Client threads must not keep the JVM alive.
    System.exit(0);
  }

  /** Kafka's own validation of a broker configuration: KafkaConfig.fromProps throws on any invalid value. */
  private static ObjectNode validateConfig(String file) throws Exception {
    Properties props = new Properties();
    try (FileInputStream in = new FileInputStream(file)) {
      props.load(in);
    }
    ObjectNode answer = JSON.createObjectNode();
    try {
      kafka.server.KafkaConfig config = kafka.server.KafkaConfig.fromProps(props);
      answer.put("valid", true);
      answer.put("brokerId", config.brokerId());
    } catch (Exception e) {
      answer.put("valid", false);
      answer.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return answer;
  }

  // ---- clients ----

  private static Properties clientProps(JsonNode client) {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, client.get("bootstrap").asText());
    String protocol = client.get("protocol").asText();
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
    if (protocol.startsWith("SASL_")) {
      p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
      p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
          + client.get("username").asText() + "\" password=\"" + client.get("password").asText() + "\";");
    }
    if (client.hasNonNull("ca")) {
      p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, client.get("ca").asText());
    }
    if (client.hasNonNull("keystore")) {
      // A PEM file with the PKCS#8 key and the certificate, as Strimzi's user operator hands a TLS user both.
      p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
      p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, client.get("keystore").asText());
    }
    // Fail fast: a refused connection is retried until these run out, and then counts as refused.
    int timeout = client.path("timeoutMs").asInt(8000);
    p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout / 2));
    p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
    p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "dataplane-" + client.path("name").asText("client"));
    return p;
  }

  private static Admin admin(JsonNode client) {
    return Admin.create(clientProps(client));
  }

  private static KafkaProducer<byte[], byte[]> producer(JsonNode client) {
    Properties p = clientProps(client);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, client.path("acks").asText("all"));
    String timeout = String.valueOf(client.path("timeoutMs").asInt(8000));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    return new KafkaProducer<>(p);
  }

  private static KafkaConsumer<byte[], byte[]> consumer(JsonNode client, String group) {
    Properties p = clientProps(client);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    if (group != null) p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    return new KafkaConsumer<>(p);
  }

  /** What an attempt came to. */
  private static ObjectNode outcome(Throwable failure) {
    ObjectNode o = JSON.createObjectNode();
    Throwable t = failure;
    while (t instanceof ExecutionException && t.getCause() != null) t = t.getCause();
    if (t == null) {
      o.put("outcome", "allowed");
    } else if (t instanceof AuthorizationException) {
      o.put("outcome", "denied");
      o.put("detail", t.getClass().getSimpleName());
    } else if (t instanceof AuthenticationException) {
      o.put("outcome", "refused");
      o.put("detail", t.getClass().getSimpleName() + ": " + t.getMessage());
    } else {
      o.put("outcome", "error");
      o.put("detail", t.getClass().getSimpleName() + ": " + t.getMessage());
    }
    return o;
  }

  // ---- setup: what Strimzi's operators make of the KafkaUsers and KafkaTopics ----

  private static ObjectNode setup(JsonNode request) throws Exception {
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode timings = answer.putObject("ms");
    long t0 = System.currentTimeMillis();
    try (Admin admin = admin(request.get("admin"))) {
      // The cluster is up when every broker answers, as the super user sees it.
      int expected = request.get("brokers").asInt();
      long deadline = System.currentTimeMillis() + 120_000;
      while (true) {
        try {
          int seen = admin.describeCluster().nodes().get().size();
          if (seen >= expected) break;
        } catch (ExecutionException e) {
          if (System.currentTimeMillis() > deadline) throw e;
        }
        if (System.currentTimeMillis() > deadline) throw new IllegalStateException("fewer than " + expected + " brokers after 120 s");
        Thread.sleep(200);
      }

      timings.put("cluster", System.currentTimeMillis() - t0);
      List<UserScramCredentialAlteration> scram = new ArrayList<>();
      for (JsonNode u : request.get("scramUsers")) {
        scram.add(new UserScramCredentialUpsertion(u.get("name").asText(),
            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), u.get("password").asText()));
      }
      if (!scram.isEmpty()) admin.alterUserScramCredentials(scram).all().get();

      List<AclBinding> bindings = new ArrayList<>();
      for (JsonNode b : request.get("aclBindings")) bindings.add(binding(b));
      if (!bindings.isEmpty()) admin.createAcls(bindings).all().get();
      answer.put("aclBindings", bindings.size());

      // Each topic on its own: a config Kafka rejects is reported with the topic's name.
      ArrayNode topics = answer.putArray("topics");
      for (JsonNode t : request.get("topics")) {
        Map<String, String> configs = new HashMap<>();
        t.get("config").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
        NewTopic topic = new NewTopic(t.get("name").asText(), t.get("partitions").asInt(), (short) t.get("replicas").asInt()).configs(configs);
        ObjectNode result = topics.addObject();
        result.put("name", t.get("name").asText());
        try {
          admin.createTopics(List.of(topic)).all().get();
          result.put("created", true);
        } catch (ExecutionException e) {
          result.put("created", false);
          result.put("error", e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        }
      }
      timings.put("created", System.currentTimeMillis() - t0);
      // What Kafka holds afterwards: every config key as the topic reports it.
      ArrayNode described = answer.putArray("described");
      for (JsonNode t : request.get("topics")) {
        String name = t.get("name").asText();
        ObjectNode d = described.addObject();
        d.put("name", name);
        try {
          // Known, and every partition led (a 400-partition topic's leaders take a moment after its creation).
          var description = whenKnown(() -> {
            var found = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
            if (found.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
              throw new ExecutionException(new org.apache.kafka.common.errors.UnknownTopicOrPartitionException("a partition of " + name + " has no leader yet"));
            }
            return found;
          });
          d.put("partitions", description.partitions().size());
          d.put("replicas", description.partitions().get(0).replicas().size());
          var resource = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, name);
          var config = whenKnown(() -> admin.describeConfigs(List.of(resource)).all().get().get(resource));
          ObjectNode c = d.putObject("config");
          for (var entry : config.entries()) {
            if (entry.source() == org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) c.put(entry.name(), entry.value());
          }
        } catch (ExecutionException e) {
          d.put("error", e.getCause().toString());
        }
      }
    }
    timings.put("described", System.currentTimeMillis() - t0);
    // One record in partition 0 of every topic, written by the super user, so that a permitted read has something to read.
    // Setup is not a check: its producer may wait for a new topic's leaders as long as they take.
    ObjectNode seeding = request.get("admin").deepCopy();
    seeding.put("timeoutMs", 60_000);
    try (KafkaProducer<byte[], byte[]> producer = producer(seeding)) {
      for (JsonNode t : request.get("topics")) {
        producer.send(new ProducerRecord<>(t.get("name").asText(), 0, "seed".getBytes(), "seed".getBytes())).get();
      }
    }
    timings.put("seeded", System.currentTimeMillis() - t0);
    return answer;
  }

  private interface Call<T> {
    T get() throws Exception;
  }

  /**
   * A topic just created is known to every broker a moment later (a 400-partition topic takes seconds): a call that
   * any broker may answer is repeated while it says the topic is unknown, 60 s at most.
   */
  private static <T> T whenKnown(Call<T> call) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        return call.get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) || System.currentTimeMillis() > deadline) throw e;
        Thread.sleep(100);
      }
    }
  }

  private static AclBinding binding(JsonNode b) {
    return new AclBinding(
        new ResourcePattern(ResourceType.valueOf(b.get("resourceType").asText()), b.get("name").asText(),
            PatternType.valueOf(b.get("patternType").asText())),
        new AccessControlEntry(b.get("principal").asText(), b.get("host").asText(),
            AclOperation.valueOf(b.get("operation").asText()), AclPermissionType.valueOf(b.get("permission").asText())));
  }

  /** Adds and removes ACL bindings, as the user operator does when a KafkaUser's ACLs change. */
  private static ObjectNode acls(JsonNode request) throws Exception {
    ObjectNode answer = JSON.createObjectNode();
    try (Admin admin = admin(request.get("admin"))) {
      List<AclBinding> add = new ArrayList<>();
      for (JsonNode b : request.get("add")) add.add(binding(b));
      List<org.apache.kafka.common.acl.AclBindingFilter> remove = new ArrayList<>();
      for (JsonNode b : request.get("remove")) remove.add(binding(b).toFilter());
      if (!add.isEmpty()) admin.createAcls(add).all().get();
      int removed = remove.isEmpty() ? 0 : admin.deleteAcls(remove).all().get().size();
      answer.put("added", add.size());
      answer.put("removed", removed);
    }
    return answer;
  }

  // ---- the access matrix ----

  /**
   * Each check: {id, client, kind: topic|group|connect, operation, resource, topic (for group reads: a topic to commit
   * an offset of)}. The clients of one user are made once and reused for its checks.
   */
  private static ObjectNode matrix(JsonNode request) throws Exception {
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode results = answer.putObject("results");
    Map<String, List<JsonNode>> byClient = new HashMap<>();
    Map<String, JsonNode> clients = new HashMap<>();
    for (JsonNode check : request.get("checks")) {
      String name = check.get("client").get("name").asText();
      clients.put(name, check.get("client"));
      byClient.computeIfAbsent(name, k -> new ArrayList<>()).add(check);
    }
    // Users side by side (each with its own clients), four at a time.
    Map<String, ObjectNode> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    for (var entry : byClient.entrySet()) {
      running.add(pool.submit(() -> {
        JsonNode client = clients.get(entry.getKey());
        try (Admin admin = admin(client);
             KafkaProducer<byte[], byte[]> producer = producer(withAcks(client, "1"));
             KafkaConsumer<byte[], byte[]> reader = consumer(client, null)) {
          for (JsonNode check : entry.getValue()) {
            outcomes.put(check.get("id").asText(), run(check, client, admin, producer, reader));
          }
        }
        return null;
      }));
    }
    for (var r : running) r.get();
    pool.shutdown();
    for (JsonNode check : request.get("checks")) results.set(check.get("id").asText(), outcomes.get(check.get("id").asText()));
    return answer;
  }

  private static JsonNode withAcks(JsonNode client, String acks) {
    ObjectNode copy = client.deepCopy();
    copy.put("acks", acks);
    return copy;
  }

  private static ObjectNode run(JsonNode check, JsonNode client, Admin admin, KafkaProducer<byte[], byte[]> producer,
      KafkaConsumer<byte[], byte[]> reader) {
    String kind = check.get("kind").asText();
    String operation = check.get("operation").asText();
    String resource = check.get("resource").asText();
    try {
      switch (kind + ":" + operation) {
        case "connect:Describe" -> admin.describeCluster().nodes().get();
        case "topic:Describe" -> admin.describeTopics(List.of(resource)).allTopicNames().get();
        case "topic:Write" -> producer.send(new ProducerRecord<>(resource, 0, "matrix".getBytes(), "matrix".getBytes())).get();
        case "topic:Read" -> readOne(reader, resource);
        case "group:Describe" -> admin.describeConsumerGroups(List.of(resource)).all().get();
        case "group:Read" -> {
          // Commit an offset for the group, as a consumer of the group does: the broker checks Read on the group
          // first (GROUP_AUTHORIZATION_FAILED for the whole request), then Read on the topic. The topic is one the
          // user may read, or else one it may describe: its metadata is then always served, so a topic refusal can
          // only come from the commit itself, after the group was admitted.
          try (KafkaConsumer<byte[], byte[]> member = consumer(client, resource)) {
            TopicPartition tp = new TopicPartition(check.get("topic").asText(), 0);
            member.assign(List.of(tp));
            try {
              member.commitSync(Map.of(tp, new OffsetAndMetadata(0)), Duration.ofSeconds(8));
            } catch (org.apache.kafka.common.errors.TopicAuthorizationException topicOnly) {
              // The group was admitted; only the topic was not.
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown check " + kind + ":" + operation);
      }
      return outcome(null);
    } catch (Throwable t) {
      return outcome(t);
    }
  }

  private static void readOne(KafkaConsumer<byte[], byte[]> reader, String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    reader.assign(List.of(tp));
    reader.seek(tp, 0);
    long deadline = System.currentTimeMillis() + 10_000;
    try {
      while (System.currentTimeMillis() < deadline) {
        if (!reader.poll(Duration.ofMillis(200)).isEmpty()) return;
      }
      throw new TimeoutException("no record read from " + topic + " in 10 s (the topic holds one)");
    } finally {
      reader.unsubscribe();
    }
  }

  // ---- one alert ----

  private static ObjectNode produce(JsonNode request) throws Exception {
    byte[] value = Files.readAllBytes(Path.of(request.get("file").asText()));
    ObjectNode answer = JSON.createObjectNode();
    try (KafkaProducer<byte[], byte[]> producer = producer(request.get("client"))) {
      RecordMetadata m = producer.send(new ProducerRecord<>(request.get("topic").asText(), request.get("key").asText().getBytes(), value)).get();
      answer.put("partition", m.partition());
      answer.put("offset", m.offset());
    }
    return answer;
  }

  /** Reads the topic with the group until the record with the key comes; writes its value to the file. */
  private static ObjectNode consume(JsonNode request) throws Exception {
    String key = request.get("key").asText();
    ObjectNode answer = JSON.createObjectNode();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(request.get("client"), request.get("group").asText())) {
      consumer.subscribe(List.of(request.get("topic").asText()));
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (r.key() != null && new String(r.key()).equals(key)) {
            Files.write(Path.of(request.get("file").asText()), r.value());
            consumer.commitSync();
            answer.put("partition", r.partition());
            answer.put("offset", r.offset());
            answer.put("bytes", r.value().length);
            return answer;
          }
        }
      }
    }
    throw new IllegalStateException("the record " + key + " was not read in 60 s");
  }
}
