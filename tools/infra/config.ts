// Where tools/infra keeps things and which versions it pins. One place, so that `up`, `down`
// and tools/test.mjs agree on the paths without passing them around.
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CACHE_DIR = path.join(REPO_ROOT, '.cache'); // git-ignored
export const INFRA_ENV_FILE = path.join(CACHE_DIR, 'infra.env');

// Kafka 4.1.2: newest 4.1.x on Maven Central; verified here with kafkajs 2.2.4 (produce, consume,
// consumer group join + offset commit/fetch). 4.x still accepts every request version kafkajs sends.
export const KAFKA_VERSION = '4.1.2';
export const SCALA_VERSION = '2.13';
// The broker's POM brings slf4j-api 1.7.36 and log4j-core 2.25.3 but no binding between them:
// without log4j-slf4j-impl slf4j falls back to its NOP logger and broker.log stays empty (seen).
export const LOG4J_VERSION = '2.25.3';
// Pinned plugin version: a bare `dependency:copy-dependencies` would resolve whatever is newest.
export const DEPENDENCY_PLUGIN =
  'org.apache.maven.plugins:maven-dependency-plugin:3.7.1';
export const MIN_JAVA_MAJOR = 17; // Kafka 4.x brokers need Java 17+

export const KAFKA_DIR = path.join(CACHE_DIR, 'kafka');
export const kafkaPaths = {
  versionDir: path.join(KAFKA_DIR, KAFKA_VERSION),
  pom: path.join(KAFKA_DIR, KAFKA_VERSION, 'pom.xml'),
  libs: path.join(KAFKA_DIR, KAFKA_VERSION, 'libs'),
  // Written only after mvn succeeded, so an interrupted download is redone, not half-used.
  libsComplete: path.join(KAFKA_DIR, KAFKA_VERSION, 'libs', '.complete'),
  data: path.join(KAFKA_DIR, 'data'),
  serverProperties: path.join(KAFKA_DIR, 'server.properties'),
  log4j: path.join(KAFKA_DIR, 'log4j2.xml'),
  log: path.join(KAFKA_DIR, 'broker.log'),
  pid: path.join(KAFKA_DIR, 'broker.pid'),
};

// The broker this project starts listens on loopback only; the controller port is internal.
export const LOCAL_BROKER = '127.0.0.1:9092';
export const LOCAL_CONTROLLER_PORT = 9093;
// A cold JVM start on 2 busy cores took 2-7 s here; 90 s leaves room for a loaded CI machine.
export const READY_TIMEOUT_MS = 90_000;

export const DEFAULT_DATABASE_URL =
  'postgres://postgres@127.0.0.1:5432/incidents';
export const EVENT_STORE_SCHEMA = 'event_log';

export const MAVEN_CENTRAL =
  process.env['MAVEN_CENTRAL_URL'] ?? 'https://repo.maven.apache.org/maven2';
