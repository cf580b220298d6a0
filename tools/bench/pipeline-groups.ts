// The services' consumer groups and topics are the production ones (no per-stack prefix), so a
// bench run shares them with anything else on the broker: backlog left by an earlier run, and
// consumers of another stack (npm start, an e2e run) that would take partitions, and the bench's
// messages with them. Measured figures are only this stack's when both are ruled out.
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';

export const PIPELINE_GROUPS: Record<string, string[]> = {
  classifier: ['incidents.signals.v1'],
  correlation: ['incidents.classifications.v1', 'incidents.traffic.v1'],
};

/** Messages the groups have not committed yet, summed over their topics' partitions. */
async function backlog(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let total = 0;
    for (const [groupId, topics] of Object.entries(PIPELINE_GROUPS)) {
      const committed = await admin.fetchOffsets({ groupId, topics });
      for (const { topic, partitions } of committed) {
        const high = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
        for (const p of partitions) total += Math.max(0, (high.get(p.partition) ?? 0) - Math.max(0, Number(p.offset)));
      }
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}

/** Members per group: one each is this stack alone. */
export async function groupMembers(brokers: string[]): Promise<Record<string, number>> {
  const admin = new Kafka({ clientId: 'bench-groups', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups(Object.keys(PIPELINE_GROUPS));
    return Object.fromEntries(groups.map((g) => [g.groupId, g.members.length]));
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the services have worked off what earlier runs left; returns how much that was. */
export async function drainBacklog(brokers: string[], timeoutMs: number): Promise<{ initial: number; left: number }> {
  const kafka = new Kafka({ clientId: 'bench-groups', brokers, logLevel: logLevel.NOTHING });
  const initial = await backlog(kafka);
  const deadline = Date.now() + timeoutMs;
  let left = initial;
  while (left > 0 && Date.now() < deadline) {
    await sleep(1_000);
    left = await backlog(kafka);
  }
  return { initial, left };
}
