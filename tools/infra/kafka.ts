// Which Kafka `up` uses: the user's (KAFKA_BROKERS), the project's own broker if it already
// runs, any broker already on 127.0.0.1:9092, or else a fresh one started from the jars.
import * as path from 'node:path';
import {
  KAFKA_VERSION,
  LOCAL_BROKER,
  READY_TIMEOUT_MS,
  REPO_ROOT,
  kafkaPaths,
} from './config';
import { brokerAnswers, waitForBroker } from './kafka-admin';
import {
  formatStorageIfNeeded,
  startBroker,
  writeConfig,
} from './kafka-broker';
import {
  isAlive,
  logTail,
  ourRunningBroker,
  stopBroker,
} from './broker-process';
import { ensureJars } from './kafka-jars';
import { InfraError, checkJava, log } from './preconditions';

export interface KafkaSetting {
  brokers: string[];
  /** True only if this call started the broker (then `infra down` is the caller's job). */
  started: boolean;
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

/** `onStart` runs as soon as a broker process exists, so an interrupt can stop it. */
export async function ensureKafka(onStart: () => void): Promise<KafkaSetting> {
  const configured = process.env['KAFKA_BROKERS']?.trim();
  if (configured) {
    // An explicit address is the user's word; a broker started elsewhere would hide a
    // mistake in it, so a silent broker there is an error.
    const brokers = configured
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean);
    if (await brokerAnswers(brokers)) return { brokers, started: false };
    throw new InfraError(
      `KAFKA_BROKERS=${configured} is set but no Kafka broker answers there. ` +
        `Start it, or unset KAFKA_BROKERS to let tools/infra start one on ${LOCAL_BROKER}.`,
    );
  }
  const brokers = [LOCAL_BROKER];
  const ours = ourRunningBroker();
  if (ours !== undefined) {
    // Ours and alive; if it does not answer yet it may still be starting (another `up`).
    const state = (await brokerAnswers(brokers))
      ? 'ready'
      : await waitForBroker(brokers, READY_TIMEOUT_MS, () => isAlive(ours));
    if (state === 'ready') {
      log(
        `reusing the project's Kafka broker (pid ${ours}) on ${LOCAL_BROKER}`,
      );
      return { brokers, started: false };
    }
    const tail = logTail();
    await stopBroker();
    throw new InfraError(
      `the project's Kafka broker (pid ${ours}) never answered; stopped it. broker.log:\n${tail}`,
    );
  }
  if (await brokerAnswers(brokers)) {
    log(`using the Kafka broker already on ${LOCAL_BROKER} (not ours)`);
    return { brokers, started: false };
  }

  await checkJava();
  const jars = await ensureJars();
  writeConfig();
  if (await formatStorageIfNeeded()) {
    log(`formatted storage in ${path.relative(REPO_ROOT, kafkaPaths.data)}`);
  }
  const t0 = Date.now();
  const broker = startBroker();
  onStart();
  log(`started Kafka ${KAFKA_VERSION} (jars ${jars}), pid ${broker.pid}`);
  const state = await waitForBroker(brokers, READY_TIMEOUT_MS, broker.alive);
  if (state !== 'ready') {
    const tail = logTail();
    await stopBroker();
    const why =
      state === 'died'
        ? 'exited during startup'
        : `did not answer within ${READY_TIMEOUT_MS / 1000} s`;
    throw new InfraError(
      `Kafka broker ${why}; stopped it. ${path.relative(REPO_ROOT, kafkaPaths.log)}:\n${tail}`,
    );
  }
  log(`Kafka ready on ${LOCAL_BROKER} after ${seconds(t0)} s`);
  return { brokers, started: true };
}
