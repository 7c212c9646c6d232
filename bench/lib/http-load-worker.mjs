// Worker threads start before tsx's loader is in place for them: register it, then load the
// TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./http-load-worker.ts');
