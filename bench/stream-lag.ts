import '../src/runtime/node-version-notice.js';
import { loadStreamSettings } from '../src/config/stream.js';
import { startBenchDynamo } from './lib/local-table.js';
import { measurePatternE } from './lib/pattern-e.js';

/** `npm run bench:stream`: pattern E's lag alone (the full benchmark is `npm run bench`). */
const dynamo = await startBenchDynamo();
try {
  const result = await measurePatternE(dynamo, {
    consumer: 'ours',
    idleMessages: Number(process.env.LAG_IDLE_MESSAGES ?? 200),
    loadMessages: Number(process.env.LAG_LOAD_MESSAGES ?? 1600),
    senders: 32,
  });
  const row = (
    name: string,
    r: { messages: number; p50: number; p99: number; max: number } | undefined,
  ) =>
    r
      ? `| ${name} | ${r.messages} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} |`
      : '';
  console.log(
    `Pattern E lag (write acknowledged → both group rows updated), poll interval ${loadStreamSettings().pollIntervalMs} ms\n`,
  );
  console.log('| phase | messages | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|');
  console.log(row('idle (1 sender)', result.idle));
  console.log(row('load (32 senders)', result.load));
  console.log(
    `\nitem writes per message under load: ${result.itemWritesPerMessage.toFixed(2)}; ` +
      `final state correct: ${result.correct}`,
  );
} finally {
  await dynamo.close();
}
