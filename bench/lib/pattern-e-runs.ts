import { type BenchDynamo, startBenchDynamo } from './local-table.js';
import { measurePatternE, type PatternEResult } from './pattern-e.js';

/** Runs `measure` on a DynamoDB Local started for it alone, and stops that one afterwards. */
const onItsOwnDynamo = async <T>(measure: (dynamo: BenchDynamo) => Promise<T>): Promise<T> => {
  const dynamo = await startBenchDynamo();
  try {
    return await measure(dynamo);
  } finally {
    await dynamo.close();
  }
};

/**
 * Pattern E as `npm run bench` reports it, in this order: our consumer (idle and load), ours
 * with the hub marking read every 20 ms, and the naive consumer (load only), 32 senders each.
 *
 * Not on the latency runs' DynamoDB Local: one JVM serving both the 122,000-item load and the
 * stream consumers slowed to a crawl here, which would measure DynamoDB Local, not our code.
 */
export const measurePatternERuns = async (options: {
  idleMessages: number;
  loadMessages: number;
  log: (line: string) => void;
}): Promise<PatternEResult[]> => {
  const { idleMessages, loadMessages, log } = options;
  const [ours, naive] = await onItsOwnDynamo(async (dynamo) => {
    log('pattern E: ours...');
    const ours = await measurePatternE(dynamo, {
      consumer: 'ours',
      idleMessages,
      loadMessages,
      senders: 32,
    });
    log('pattern E: naive...');
    const naive = await measurePatternE(dynamo, {
      consumer: 'naive',
      idleMessages: 0,
      loadMessages,
      senders: 32,
    });
    return [ours, naive];
  });
  // With read marks, on a DynamoDB Local of its own too: run second on the one above, its
  // sends timed out (the SDK's 2 s) again and again on this shared machine (load average ~10).
  const marking = await onItsOwnDynamo((dynamo) => {
    log('pattern E: ours, the hub marking read every 20 ms...');
    return measurePatternE(dynamo, {
      consumer: 'ours',
      idleMessages: 0,
      loadMessages,
      senders: 32,
      markEveryMs: 20,
    });
  });
  return [ours, marking, naive];
};
