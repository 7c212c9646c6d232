#!/usr/bin/env node
// The package bin: loads the TypeScript CLI through tsx in this very process, so there is no
// build step to forget and no child process to leave behind.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
