import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { FastDefaultPartitioner, murmur2 } from './partitioner';

// kafkajs's own murmur2 (not exported from the package root): the reference the fast one must match.
const kafkajsMurmur2: (key: Buffer | string) => number = createRequire(__filename)('kafkajs/src/producer/partitioners/default/murmur2');

describe('the relay partitioner', () => {
  it('hashes every key exactly as kafkajs does (and so as the Java client does)', () => {
    const keys: Buffer[] = [Buffer.alloc(0)];
    for (let i = 0; i < 5_000; i++) keys.push(randomBytes(i % 97));
    for (const text of ['incident-1f0c', 'signal-é-∑-😀', 'correlation-checkout-service:429', 'a', 'ab', 'abc', 'abcd']) keys.push(Buffer.from(text));
    const differing = keys.filter((key) => murmur2(key) !== kafkajsMurmur2(key));
    expect(differing).toEqual([]);
  });

  it('puts every keyed message on the partition kafkajs DefaultPartitioner picks', () => {
    const fast = FastDefaultPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 6, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
      for (let i = 0; i < 2_000; i++) {
        const args: PartitionerArgs = { topic: 't', partitionMetadata, message: { key: `stream-${randomBytes(8).toString('hex')}-${i}`, value: 'v' } };
        expect(fast(args)).toBe(reference(args));
      }
    }
  });

  it('leaves an explicit partition as it is', () => {
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
    expect(FastDefaultPartitioner()({ topic: 't', partitionMetadata, message: { key: 'k', value: 'v', partition: 2 } })).toBe(2);
  });
});
