// Started as a child process by the watchdog test, which then SIGKILLs it.
import { startDynamoDbLocal } from '../../src/local/dynamodb-local.js';

const local = await startDynamoDbLocal({ storage: { inMemory: true } });
console.log(`port=${local.port}`);
setInterval(() => {}, 60_000);
