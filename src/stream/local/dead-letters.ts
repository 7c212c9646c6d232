import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';

/** What the local event source gave up on: the local stand-in for the SQS on-failure queue. */
export interface DeadLetter {
  failedAt: string;
  streamArn: string;
  shardId: string;
  attempts: number;
  reason: string;
  records: DynamoDBRecord[];
}

export interface DeadLetterSink {
  put(letter: DeadLetter): Promise<void>;
}

/** One JSON object a line, appended: readable with `jq`, safe to tail. */
export class DeadLetterFile implements DeadLetterSink {
  constructor(readonly path: string) {}

  async put(letter: DeadLetter): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify(letter)}\n`);
  }

  read(): DeadLetter[] {
    try {
      return readFileSync(this.path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as DeadLetter);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}
